// Change tickets through the API: create or update one (by its id), and list them. Saving a
// ticket judges again the changes its window may cover.
import { z } from 'zod'
import { DriftwatchError } from '../../errors/index.js'
import { parseTicket } from '../../reconcile/index.js'
import { READERS, WRITERS, defineRoute, type ApiRoute } from '../api-route.js'
import { actorOf } from '../caller.js'
import type { ConsoleContext } from '../console-context.js'
import { ticketOf } from '../change-reconciliation.js'

export function ticketRoutes(context: ConsoleContext): ApiRoute[] {
  const { store } = context
  return [
    defineRoute({
      method: 'PUT',
      url: '/api/v1/tickets',
      summary:
        'Create or update a change ticket (by its id); the changes its window may cover are judged again',
      tag: 'tickets',
      access: WRITERS,
      body: z.record(z.string(), z.unknown()),
      responses: { 200: 'saved: the outcome and how many verdicts changed' },
      async handler({ body, caller }) {
        const parsed = parseTicket(body, 'body')
        if (!parsed.ok) {
          const errors = parsed.problems.map((problem) => ({
            path: `body.${problem.field}`,
            message: problem.message,
          }))
          throw new DriftwatchError(
            'DW_ERR_PAYLOAD_INVALID',
            errors.map((error) => `${error.path}: ${error.message}`).join('; '),
            { details: { errors } },
          )
        }
        const ticket = parsed.ticket
        const now = context.now().toISOString()
        const saved = await store.saveTicket(
          {
            externalRef: ticket.id,
            source: 'api',
            state: ticket.state,
            windowStart: ticket.window.start,
            windowEnd: ticket.window.end,
            document: { ...ticket },
          },
          actorOf(caller),
          now,
        )
        const judged =
          saved.outcome === 'unchanged'
            ? { changed: 0, retroactive: [] }
            : await context.reconciliation.reconcileWindow(ticket.window, now)
        return { body: { id: saved.id, ticket: ticket.id, outcome: saved.outcome, ...judged } }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/tickets',
      summary: 'Change tickets, filtered by state and by whether their window is still open',
      tag: 'tickets',
      access: READERS,
      query: z.strictObject({
        state: z
          .enum(['requested', 'approved', 'scheduled', 'implemented', 'closed', 'rejected'])
          .optional(),
        openAt: z.iso.datetime().optional(),
      }),
      async handler({ query }) {
        const tickets = await store.listTickets({
          ...(query.state === undefined ? {} : { states: [query.state] }),
          ...(query.openAt === undefined ? {} : { openAt: query.openAt }),
        })
        return {
          body: tickets.map((stored) => ({
            ...ticketOf(stored),
            storedId: stored.id,
            source: stored.source,
            updatedAt: stored.updatedAt,
          })),
        }
      },
    }),
  ]
}
