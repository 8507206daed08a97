// Policies, results by node or by test, and waivers.
import { z } from 'zod'
import { DriftwatchError } from '../../errors/index.js'
import { ADMINS, READERS, WRITERS, defineRoute, type ApiRoute } from '../api-route.js'
import { actorOf } from '../caller.js'
import type { ConsoleContext } from '../console-context.js'

export function resultRoutes(context: ConsoleContext, waiverSchema: z.ZodType<object>): ApiRoute[] {
  const { store } = context
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/policies',
      summary: 'The policies the console judges nodes by',
      tag: 'results',
      access: READERS,
      handler() {
        return Promise.resolve({
          body: context.policies.assignments.map(({ policy, tags }) => ({
            id: policy.id,
            version: policy.version,
            title: policy.title,
            tests: policy.tests.length,
            assignedTo: tags.length === 0 ? 'every node' : tags.map((tag) => `tag:${tag}`),
          })),
        })
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/results',
      summary: 'Results, by node, policy, test or status',
      tag: 'results',
      access: READERS,
      query: z.strictObject({
        node: z.coerce.number().int().min(1).optional(),
        policy: z.string().max(128).optional(),
        test: z.string().max(128).optional(),
        status: z.enum(['pass', 'fail', 'not-applicable', 'error', 'waived']).optional(),
      }),
      async handler({ query }) {
        return {
          body: await store.listResults({
            ...(query.node === undefined ? {} : { nodeId: query.node }),
            ...(query.policy === undefined ? {} : { policy: query.policy }),
            ...(query.test === undefined ? {} : { test: query.test }),
            ...(query.status === undefined ? {} : { status: query.status }),
          }),
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/waivers',
      summary: 'Waivers',
      tag: 'results',
      access: READERS,
      async handler() {
        return { body: await store.listWaivers() }
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/waivers',
      summary: 'Grant a waiver: tests, nodes, justification, approver and expiry (required)',
      tag: 'results',
      access: WRITERS,
      body: waiverSchema,
      responses: { 201: 'created; every node is judged again in the background' },
      async handler({ body, caller }) {
        const id = await store.addWaiver(
          body as Record<string, unknown>,
          actorOf(caller),
          context.now().toISOString(),
        )
        context.reevaluation.request(`waiver ${id} granted`)
        return { status: 201, body: { id, ...body } }
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/waivers/:id',
      summary: 'Withdraw a waiver',
      tag: 'results',
      access: ADMINS,
      responses: { 204: 'withdrawn; every node is judged again in the background' },
      params: z.strictObject({ id: z.coerce.number().int().min(1) }),
      async handler({ params, caller }) {
        const deleted = await store.deleteWaiver(
          params.id,
          actorOf(caller),
          context.now().toISOString(),
        )
        if (!deleted) throw new DriftwatchError('DW_ERR_NOT_FOUND', `no waiver ${params.id}`)
        context.reevaluation.request(`waiver ${params.id} withdrawn`)
        return { status: 204, body: undefined }
      },
    }),
  ]
}
