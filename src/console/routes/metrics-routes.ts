// Change metrics for dashboards: unauthorized changes per day and per node group, time to
// detection, who promoted what.
import { z } from 'zod'
import { DriftwatchError } from '../../errors/index.js'
import { READERS, defineRoute, type ApiRoute } from '../api-route.js'
import { changeMetrics } from '../change-metrics.js'
import type { ConsoleContext } from '../console-context.js'
import { DAY_MS } from '../../model/index.js'

export function metricsRoutes(context: ConsoleContext): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/metrics/changes',
      summary:
        'Unauthorized changes (goal: 0) per day and per node group, verdict counts, mean time to detection',
      tag: 'metrics',
      access: READERS,
      query: z.strictObject({
        from: z.iso.datetime().optional(),
        to: z.iso.datetime().optional(),
      }),
      async handler({ query }) {
        const to = query.to ?? context.now().toISOString()
        const from = query.from ?? new Date(Date.parse(to) - 30 * DAY_MS).toISOString()
        if (Date.parse(to) - Date.parse(from) > 366 * DAY_MS || from >= to) {
          throw new DriftwatchError(
            'DW_ERR_PAYLOAD_INVALID',
            'query.from, query.to: a range of at most a year, from before to',
          )
        }
        const changes = await context.store.listChanges({ from, to, limit: 10_000_000 })
        const nodes = await context.store.listNodes({})
        return { body: changeMetrics(changes, nodes, { from, to }) }
      },
    }),
  ]
}
