// Nodes, their elements now, and each element's version history.
import { z } from 'zod'
import { DriftwatchError } from '../../errors/index.js'
import type { FleetNode, FleetStore } from '../../store/index.js'
import { ADMINS, READERS, WRITERS, defineRoute, type ApiRoute } from '../api-route.js'
import { actorOf } from '../caller.js'
import type { ConsoleContext } from '../console-context.js'

const NODE = z.strictObject({ id: z.coerce.number().int().min(1) })

export async function existingNode(store: FleetStore, id: number): Promise<FleetNode> {
  const node = await store.node(id)
  if (node === undefined) throw new DriftwatchError('DW_ERR_NOT_FOUND', `no node ${id}`)
  return node
}

export function nodeRoutes(context: ConsoleContext): ApiRoute[] {
  const { store } = context
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/nodes',
      summary: 'Nodes, filtered by kind, tag, status or when last seen',
      tag: 'nodes',
      access: READERS,
      query: z.strictObject({
        kind: z.string().max(32).optional(),
        tag: z.string().max(128).optional(),
        status: z.enum(['active', 'duplicate', 'retired']).optional(),
        seenBefore: z.iso.datetime().optional(),
        seenAfter: z.iso.datetime().optional(),
      }),
      async handler({ query }) {
        return { body: await store.listNodes(query) }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/nodes/:id',
      summary: 'One node: what it is, its open changes and its results at a glance',
      tag: 'nodes',
      access: READERS,
      params: NODE,
      async handler({ params }) {
        const node = await existingNode(store, params.id)
        const open = await store.listChanges({ nodeId: node.id, status: 'open', limit: 100_000 })
        const results = await store.listResults({ nodeId: node.id })
        const counts: Record<string, number> = {}
        for (const result of results) counts[result.status] = (counts[result.status] ?? 0) + 1
        return { body: { ...node, openChanges: open.length, results: counts } }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/nodes/:id/elements',
      summary:
        "The node's elements as of its newest snapshot, in key order: a page after `after`, under `prefix`",
      tag: 'nodes',
      access: READERS,
      params: NODE,
      query: z.strictObject({
        prefix: z.string().max(4096).default(''),
        after: z.string().max(4096).default(''),
        limit: z.coerce.number().int().min(1).max(10_000).default(1000),
      }),
      async handler({ params, query }) {
        await existingNode(store, params.id)
        const elements = await store.elementsPage(params.id, query)
        const last =
          elements.length === query.limit ? elements[elements.length - 1]?.key : undefined
        return { body: { elements, ...(last === undefined ? {} : { next: last }) } }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/nodes/:id/elements/versions',
      summary: 'Every version an element of the node has had, oldest first',
      tag: 'nodes',
      access: READERS,
      params: NODE,
      query: z.strictObject({ key: z.string().min(1).max(4096) }),
      async handler({ params, query }) {
        await existingNode(store, params.id)
        const versions = await store.elementVersions(params.id, query.key)
        if (versions.length === 0) {
          throw new DriftwatchError(
            'DW_ERR_NOT_FOUND',
            `node ${params.id} has no element ${query.key}`,
          )
        }
        return { body: { key: query.key, versions } }
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/nodes/:id/tags',
      summary:
        "Replace a node's tags (environment, service, owner, group:NAME): they pick its policies and ticket scopes",
      tag: 'nodes',
      access: WRITERS,
      params: NODE,
      body: z.strictObject({
        tags: z
          .array(z.string().regex(/^[\w.:@/-]{1,128}$/, 'letters, digits and . : @ / - _'))
          .max(64),
      }),
      async handler({ params, body, caller }) {
        await existingNode(store, params.id)
        const tags = [...new Set(body.tags)].sort()
        await store.setNodeTags(params.id, tags, actorOf(caller), context.now().toISOString())
        return { body: await existingNode(store, params.id) }
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/nodes/:id',
      summary: "Retire a node: its agent's credential stops working; its history is kept",
      tag: 'nodes',
      access: ADMINS,
      params: NODE,
      responses: { 204: 'retired' },
      async handler({ params, caller }) {
        await existingNode(store, params.id)
        const retired = await store.retireNode(
          params.id,
          actorOf(caller),
          context.now().toISOString(),
        )
        if (!retired)
          throw new DriftwatchError('DW_ERR_NOT_FOUND', `node ${params.id} is retired already`)
        return { status: 204, body: undefined }
      },
    }),
  ]
}
