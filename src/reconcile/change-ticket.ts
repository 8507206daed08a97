// Change ticket: an authorized change request (DESIGN.md, Concepts) as reconciliation reads it,
// whatever system it came from (the API, a CSV/JSON import, ServiceNow, Jira).

export const TICKET_STATES = [
  'requested',
  'approved',
  'scheduled',
  'implemented',
  'closed',
  'rejected',
] as const

export type TicketState = (typeof TICKET_STATES)[number]

/**
 * States in which someone has approved the change. A ticket moves on after approval (scheduled,
 * implemented, closed) and must go on authorizing what it covered; `requested` and `rejected`
 * never authorize anything.
 */
export const APPROVED_STATES: ReadonlySet<TicketState> = new Set([
  'approved',
  'scheduled',
  'implemented',
  'closed',
])

/** When the change may be made; ISO 8601 instants, `start` before `end`. */
export interface TicketWindow {
  readonly start: string
  readonly end: string
}

export interface TicketScope {
  /** `name:GLOB` (node name), `tag:TAG` or `group:NAME`; a node in any of them is in scope. */
  readonly nodes: readonly string[]
  /** `kind:GLOB` over element keys: `file:/etc/nginx/**`, `package:nginx*`, `service:*`, `vm:web-*`. */
  readonly elements: readonly string[]
  /**
   * Lifecycle verbs (`created`, `started`, `stopped` … of a VM) the ticket authorizes; absent,
   * any. With verbs, a change authorizes only when every lifecycle verb it carries is listed,
   * and a change that carries none (a file edit) is not covered.
   */
  readonly verbs?: readonly string[] | undefined
}

export interface ChangeTicket {
  readonly id: string
  /** The ticket in the system it came from (`CHG0031337`, `OPS-412`); null for our own. */
  readonly externalRef: string | null
  readonly title: string
  readonly state: TicketState
  readonly approver: string | null
  readonly approvedAt: string | null
  readonly window: TicketWindow
  readonly scope: TicketScope
}

/**
 * Whether the ticket's state counts as approved.
 *
 * @example isApproved({ ...ticket, state: 'closed' }) // true
 */
export function isApproved(ticket: Pick<ChangeTicket, 'state'>): boolean {
  return APPROVED_STATES.has(ticket.state)
}
