// Changes against the baseline, and promoting them into it.
import { z } from 'zod'
import { READERS, WRITERS, defineRoute, type ApiRoute } from '../api-route.js'
import { actorOf } from '../caller.js'
import type { ConsoleContext } from '../console-context.js'
import { existingNode } from './node-routes.js'

export function changeRoutes(context: ConsoleContext): ApiRoute[] {
  const { store } = context
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/changes',
      summary: 'Changes, filtered by node, status and detection time',
      tag: 'changes',
      access: READERS,
      query: z.strictObject({
        node: z.coerce.number().int().min(1).optional(),
        status: z.enum(['open', 'promoted', 'restored']).optional(),
        from: z.iso.datetime().optional(),
        to: z.iso.datetime().optional(),
        limit: z.coerce.number().int().min(1).max(100_000).default(1000),
      }),
      async handler({ query }) {
        return {
          body: await store.listChanges({
            nodeId: query.node,
            status: query.status,
            from: query.from,
            to: query.to,
            limit: query.limit,
          }),
        }
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/nodes/:id/promote',
      summary: "Promote elements' current state into the node's baseline: named keys, or all",
      tag: 'changes',
      access: WRITERS,
      params: z.strictObject({ id: z.coerce.number().int().min(1) }),
      body: z.strictObject({
        keys: z.union([z.array(z.string().min(1).max(4096)).min(1).max(100_000), z.literal('all')]),
        reason: z.string().trim().min(1, 'say why').max(2000),
      }),
      async handler({ params, body, caller }) {
        await existingNode(store, params.id)
        const result = await store.promote({
          nodeId: params.id,
          keys: body.keys,
          actor: actorOf(caller),
          reason: body.reason,
          now: context.now().toISOString(),
        })
        return { body: result }
      },
    }),
  ]
}
