// Maintenance windows through the API: a period on some node groups, tied to a change ticket,
// during which that ticket authorizes the changes its element patterns name there. A window ends
// on its own at its end; ending it early is audited. Opening one judges its period again; what it
// authorized before it was ended stays authorized.
import { z } from 'zod'
import { DriftwatchError } from '../../errors/index.js'
import { compileElementPattern, compileNodeSelector } from '../../reconcile/index.js'
import type { StoredMaintenanceWindow } from '../../store/index.js'
import { READERS, WRITERS, defineRoute, type ApiRoute } from '../api-route.js'
import { actorOf } from '../caller.js'
import { ticketOf } from '../change-reconciliation.js'
import type { ConsoleContext } from '../console-context.js'
import { DAY_MS } from '../../model/index.js'

/** A window is for a maintenance night or weekend, not a standing exemption. */
const MAX_WINDOW_DAYS = 7

const windowBody = z.strictObject({
  /** The ticket's id (`CHG0030001`). */
  ticket: z.string().min(1).max(255),
  name: z.string().min(1).max(200),
  nodes: z.array(z.string().min(3).max(512)).min(1).max(100),
  elements: z.array(z.string().min(3).max(4096)).min(1).max(100),
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
})

type WindowStatus = 'upcoming' | 'active' | 'ended'

function statusOf(window: StoredMaintenanceWindow, now: string): WindowStatus {
  if (window.endsAt <= now || window.endedBy !== null) return 'ended'
  return window.startsAt > now ? 'upcoming' : 'active'
}

function shown(window: StoredMaintenanceWindow, now: string) {
  return {
    id: window.id,
    ticket: window.ticketRef,
    name: window.name,
    nodes: window.nodes,
    elements: window.elements,
    start: window.startsAt,
    end: window.endsAt,
    status: statusOf(window, now),
    createdBy: window.createdBy,
    createdAt: window.createdAt,
    endedBy: window.endedBy,
  }
}

function invalid(path: string, message: string): never {
  throw new DriftwatchError('DW_ERR_PAYLOAD_INVALID', `${path}: ${message}`, {
    details: { errors: [{ path, message }] },
  })
}

/** Checks what zod cannot: patterns compile, the period is ordered and bounded. */
function checkWindow(body: z.output<typeof windowBody>): { start: string; end: string } {
  body.nodes.forEach((selector, index) => {
    try {
      compileNodeSelector(selector)
    } catch (error) {
      invalid(`body.nodes.${index}`, (error as Error).message)
    }
  })
  body.elements.forEach((pattern, index) => {
    try {
      compileElementPattern(pattern)
    } catch (error) {
      invalid(`body.elements.${index}`, (error as Error).message)
    }
  })
  const start = new Date(body.start).toISOString()
  const end = new Date(body.end).toISOString()
  if (end <= start) invalid('body.end', 'must come after start')
  if (Date.parse(end) - Date.parse(start) > MAX_WINDOW_DAYS * DAY_MS)
    invalid('body.end', `a maintenance window lasts at most ${MAX_WINDOW_DAYS} days`)
  return { start, end }
}

export function maintenanceWindowRoutes(context: ConsoleContext): ApiRoute[] {
  const { store } = context
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/maintenance-windows',
      summary:
        'Open a maintenance window for a ticket: on the nodes it selects, in its period, the ticket authorizes what its patterns name',
      tag: 'tickets',
      access: WRITERS,
      body: windowBody,
      responses: { 201: 'created, with how many verdicts changed', 404: 'no such ticket' },
      async handler({ body, caller }) {
        const { start, end } = checkWindow(body)
        const parent = (await store.listTickets({})).find(
          (stored) => ticketOf(stored).id === body.ticket,
        )
        if (parent === undefined)
          throw new DriftwatchError('DW_ERR_NOT_FOUND', `body.ticket: no ticket ${body.ticket}`)
        if (parent.state === 'rejected')
          invalid('body.ticket', `ticket ${body.ticket} is rejected: it authorizes nothing`)
        const now = context.now().toISOString()
        const window = await store.createMaintenanceWindow(
          {
            ticketId: parent.id,
            name: body.name,
            nodes: body.nodes,
            elements: body.elements,
            startsAt: start,
            endsAt: end,
          },
          actorOf(caller),
          now,
        )
        const judged = await context.reconciliation.reconcileWindow({ start, end }, now)
        return {
          status: 201,
          body: {
            ...shown(window, now),
            verdictsChanged: judged.changed,
            retroactive: judged.retroactive,
          },
        }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/maintenance-windows',
      summary: 'Maintenance windows, with whether each is upcoming, active or ended',
      tag: 'tickets',
      access: READERS,
      query: z.strictObject({ status: z.enum(['upcoming', 'active', 'ended']).optional() }),
      async handler({ query }) {
        const now = context.now().toISOString()
        const windows = (await store.listMaintenanceWindows({})).map((w) => shown(w, now))
        return {
          body:
            query.status === undefined ? windows : windows.filter((w) => w.status === query.status),
        }
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/maintenance-windows/:id',
      summary: 'End a maintenance window now; what it authorized before stays authorized',
      tag: 'tickets',
      access: WRITERS,
      params: z.strictObject({ id: z.coerce.number().int().min(1) }),
      responses: { 404: 'no such window' },
      async handler({ params, caller }) {
        const now = context.now().toISOString()
        const ended = await store.endMaintenanceWindow(params.id, actorOf(caller), now)
        if (ended === undefined)
          throw new DriftwatchError('DW_ERR_NOT_FOUND', `no maintenance window ${params.id}`)
        return { body: shown(ended, now) }
      },
    }),
  ]
}
