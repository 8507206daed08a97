// What every ticket source produces: a change ticket as read from a file or a ticket system,
// before the reconciliation core turns it into its own ChangeTicket.

import type { TicketState } from '../change-ticket.js'

/** The life of a change ticket, in driftwatch's words: each source maps its own onto these. */
export { TICKET_STATES, type TicketState } from '../change-ticket.js'

export type TicketSourceKind = 'csv' | 'json' | 'servicenow' | 'jira'

export interface ImportedTicket {
  /** The ticket's id in the system it came from: `CHG0030001`, `OPS-12`, a CSV's `ref`. */
  readonly externalRef: string
  readonly source: TicketSourceKind
  readonly title: string
  readonly state: TicketState
  readonly approver?: string | undefined
  /** Instants are ISO 8601 in UTC (`2026-11-27T10:00:00.000Z`), whatever the source wrote. */
  readonly approvedAt?: string | undefined
  readonly windowStart?: string | undefined
  readonly windowEnd?: string | undefined
  /** Node name globs, `tag:X`, `group:Y`. */
  readonly nodes: readonly string[]
  /** Element patterns: `file:/etc/nginx/**`, `package:nginx*`, `service:*`. */
  readonly elements: readonly string[]
  /** When the source last changed the ticket. */
  readonly updatedAt?: string | undefined
}

/** One thing wrong with one ticket (or one row, or one record); the others are still read. */
export interface TicketProblem {
  /** `changes.csv:7`, `tickets.json[3]`, `servicenow CHG0030001`, `jira OPS-12`. */
  readonly where: string
  /** The column, key or field at fault, when there is one. */
  readonly field?: string | undefined
  readonly message: string
}

/** The result of reading many tickets: the good ones, and a problem for each one that was not. */
export interface TicketImport {
  readonly tickets: readonly ImportedTicket[]
  readonly problems: readonly TicketProblem[]
}

/**
 * Renders a problem the way a person reads it in a terminal or a log line.
 *
 * @example formatTicketProblem({ where: 'changes.csv:7', field: 'window_end', message: 'is before window_start' })
 * // → 'changes.csv:7: window_end: is before window_start'
 */
export function formatTicketProblem(problem: TicketProblem): string {
  const field = problem.field === undefined ? '' : `${problem.field}: `
  return `${problem.where}: ${field}${problem.message}`
}
