// How the console's ticket-system pollers stand: for each source, its last poll and last success,
// the cursor it goes on from, its last error, the tickets it could not read, its next poll, and
// which console polls it. Read from the store, so every console sharing a database answers alike.
import { READERS, defineRoute, type ApiRoute } from '../api-route.js'
import type { ConsoleContext } from '../console-context.js'

export function ticketSourceRoutes(context: ConsoleContext): ApiRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/tickets/sources',
      summary:
        "Ticket systems polled (ServiceNow, Jira): each one's last poll, cursor, last error, unreadable tickets and next poll",
      tag: 'tickets',
      access: READERS,
      async handler() {
        const now = context.now().toISOString()
        // The same table leases hypervisor collections (`hypervisor:3`) and the daily
        // re-evaluation (`reevaluation:daily`): ticket sources are the names without a colon.
        const statuses = (await context.store.pollerStatuses()).filter(
          (status) => !status.name.includes(':'),
        )
        return {
          body: statuses.map((status) => ({
            source: status.name,
            endpoint: status.endpoint,
            cursor: status.cursor,
            lastPollAt: status.lastPollAt,
            lastSuccessAt: status.lastSuccessAt,
            // A past error stays on record; `failing` says whether it is the current state.
            failing: status.failures > 0,
            failures: status.failures,
            lastError: status.lastError,
            lastErrorAt: status.lastErrorAt,
            ticketsRead: status.ticketsRead,
            problems: status.problems,
            nextPollAt: status.nextPollAt,
            polledBy:
              status.leasedUntil !== null && status.leasedUntil >= now ? status.leasedBy : null,
          })),
        }
      },
    }),
  ]
}
