// Hypervisors through the API: register one for agentless collection, list them with how their
// last collection went, collect one now, stop collecting one; and every VM they report.
import { z } from 'zod'
import { DriftwatchError } from '../../errors/index.js'
import { ADMINS, READERS, WRITERS, defineRoute, type ApiRoute } from '../api-route.js'
import { actorOf } from '../caller.js'
import type { ConsoleContext } from '../console-context.js'
import {
  DEFAULT_INTERVAL_SECONDS,
  MIN_INTERVAL_SECONDS,
  hypervisorToAdd,
} from '../hypervisor-registration.js'
import { collectionStatus, collectorName } from '../hypervisor-schedule.js'
import { listVms } from '../vm-inventory.js'

export function hypervisorRoutes(context: ConsoleContext): ApiRoute[] {
  const { store } = context
  const byId = async (id: number) => {
    const found = (await store.listHypervisors()).find((hypervisor) => hypervisor.id === id)
    if (found === undefined) throw new DriftwatchError('DW_ERR_NOT_FOUND', `no hypervisor ${id}`)
    return found
  }
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/hypervisors',
      summary: 'Register a hypervisor (libvirt:URI or vsphere:URL) for the console to collect',
      tag: 'hypervisors',
      access: ADMINS,
      body: z.strictObject({
        spec: z.string().min(8).max(2048),
        name: z.string().min(1).max(255).optional(),
        intervalSeconds: z
          .number()
          .int()
          .min(MIN_INTERVAL_SECONDS)
          .max(86_400)
          .default(DEFAULT_INTERVAL_SECONDS),
        tags: z.array(z.string().min(1).max(255)).max(50).default([]),
      }),
      responses: { 201: 'registered; collected within a minute' },
      async handler({ body, caller }) {
        const hypervisor = await store.addHypervisor(
          hypervisorToAdd(body, 'body'),
          actorOf(caller),
          context.now().toISOString(),
        )
        return { status: 201, body: hypervisor }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/hypervisors',
      summary: 'The hypervisors collected, with how their last collection went',
      tag: 'hypervisors',
      access: READERS,
      async handler() {
        const statuses = new Map((await store.pollerStatuses()).map((s) => [s.name, s]))
        return {
          body: (await store.listHypervisors()).map((hypervisor) => ({
            ...hypervisor,
            ...collectionStatus(statuses.get(collectorName(hypervisor))),
          })),
        }
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/hypervisors/:id/collect',
      summary: 'Collect a hypervisor now',
      tag: 'hypervisors',
      access: WRITERS,
      params: z.strictObject({ id: z.coerce.number().int().min(1) }),
      responses: { 502: 'the hypervisor could not be reached or understood; nothing changed' },
      async handler({ params }) {
        return { body: await context.hypervisors.collect(await byId(params.id)) }
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/hypervisors/:id',
      summary:
        "Stop collecting a hypervisor; its node and its VMs' nodes are retired, history kept",
      tag: 'hypervisors',
      access: ADMINS,
      params: z.strictObject({ id: z.coerce.number().int().min(1) }),
      async handler({ params, caller }) {
        const removed = await store.removeHypervisor(
          params.id,
          actorOf(caller),
          context.now().toISOString(),
        )
        if (!removed) throw new DriftwatchError('DW_ERR_NOT_FOUND', `no hypervisor ${params.id}`)
        return { status: 204, body: undefined }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/vms',
      summary:
        'Every VM the hypervisors report: monitored by an agent or not, owner and service tags, last change and its verdict, running after its ticket ended',
      tag: 'hypervisors',
      access: READERS,
      query: z.strictObject({
        monitored: z.enum(['true', 'false']).optional(),
        hypervisor: z.string().max(255).optional(),
      }),
      async handler({ query }) {
        return {
          body: await listVms(store, context.now().toISOString(), {
            ...(query.monitored === undefined ? {} : { monitored: query.monitored === 'true' }),
            ...(query.hypervisor === undefined ? {} : { hypervisor: query.hypervisor }),
          }),
        }
      },
    }),
  ]
}
