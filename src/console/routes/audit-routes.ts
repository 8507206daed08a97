// The audit log, for administrators and auditors, with each entry's place in the hash chain.
import { z } from 'zod'
import { defineRoute, type ApiRoute } from '../api-route.js'
import type { ConsoleContext } from '../console-context.js'

export function auditRoutes(context: ConsoleContext): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/audit',
      summary: 'Audit log entries after an id, oldest first',
      tag: 'audit',
      access: ['admin', 'auditor'],
      query: z.strictObject({
        after: z.coerce.number().int().min(0).optional(),
        limit: z.coerce.number().int().min(1).max(10_000).default(1000),
      }),
      async handler({ query }) {
        return {
          body: await context.store.auditEntries({
            ...(query.after === undefined ? {} : { afterId: query.after }),
            limit: query.limit,
          }),
        }
      },
    }),
  ]
}
