// Change tickets through the API: create or update one (by its id), and list them. Saving a
// ticket judges again the changes its window may cover.
import { z } from 'zod'
import { DriftwatchError } from '../../errors/index.js'
import { parseTicketCsv, parseTicketJson } from '../../reconcile/sources/index.js'
import { READERS, WRITERS, defineRoute, type ApiRoute } from '../api-route.js'
import { actorOf } from '../caller.js'
import type { ConsoleContext } from '../console-context.js'
import { ticketOf } from '../change-reconciliation.js'
import { changeTicketInput, takeInTickets } from '../ticket-intake.js'
import { ticketVerification } from '../ticket-verification-report.js'

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
      responses: { 200: 'saved: created, updated or unchanged, and how many verdicts changed' },
      async handler({ body, caller }) {
        const taken = await takeInTickets(
          context,
          [{ input: body, place: 'body', source: 'api' }],
          actorOf(caller),
        )
        if (taken.problems.length > 0) {
          throw new DriftwatchError('DW_ERR_PAYLOAD_INVALID', taken.problems.join('; '), {
            details: { errors: taken.problems },
          })
        }
        return { body: taken }
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/tickets/import',
      summary:
        'Import tickets from CSV or JSON text: each good row is saved, each bad one reported by its line',
      tag: 'tickets',
      access: WRITERS,
      body: z.strictObject({
        format: z.enum(['csv', 'json']),
        text: z.string().max(32 * 1024 * 1024),
        /** A name for the problems to point at, e.g. the file's. */
        name: z.string().max(255).default('import'),
      }),
      async handler({ body, caller }) {
        const read =
          body.format === 'csv'
            ? parseTicketCsv(body.text, body.name)
            : parseTicketJson(body.text, body.name)
        const taken = await takeInTickets(
          context,
          read.tickets.map((ticket) => ({
            input: changeTicketInput(ticket),
            place: `${body.name} ${ticket.externalRef}`,
            source: ticket.source,
          })),
          actorOf(caller),
          read.problems,
        )
        return { body: taken }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/tickets/:id/verification',
      summary:
        'Post-change verification: what the ticket changed, what it did not, and what else changed on its nodes in its window',
      tag: 'tickets',
      access: READERS,
      params: z.strictObject({ id: z.string().min(1).max(255) }),
      async handler({ params }) {
        return { body: await ticketVerification(context, params.id) }
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
