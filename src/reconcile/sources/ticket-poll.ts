// What one poll of a ticket system gives back. A failed poll hands back the cursor it was given,
// so the next poll reads the same tickets again: nothing is skipped. Retrying (and backing off)
// is the caller's decision, which knows its schedule; a poller makes exactly one attempt.
import type { ImportedTicket, TicketProblem } from './imported-ticket.js'

export type TicketPoll = TicketPollSuccess | TicketPollFailure

export interface TicketPollSuccess {
  readonly ok: true
  readonly source: 'servicenow' | 'jira'
  /** The instance or site polled, without credentials. */
  readonly endpoint: string
  readonly tickets: readonly ImportedTicket[]
  /** Records that could not be read as tickets (an unknown state, a bad date); named each. */
  readonly problems: readonly TicketProblem[]
  /** To store and pass to the next poll; undefined until a ticket has been seen. */
  readonly cursor: string | undefined
  readonly pages: number
}

export interface TicketPollFailure {
  readonly ok: false
  readonly source: 'servicenow' | 'jira'
  readonly endpoint: string
  /** What went wrong, for a person: `HTTP 500 …`, `no answer within 30000 ms (timed out)`. */
  readonly cause: string
  readonly status?: number | undefined
  /** The cursor the poll was given, unchanged: the tickets it was after are read next time. */
  readonly cursor: string | undefined
}

/**
 * One line saying what a failed poll was and why.
 *
 * @example describePollFailure(poll) // → 'servicenow https://acme.service-now.com: HTTP 500 Internal Server Error: …'
 */
export function describePollFailure(poll: TicketPollFailure): string {
  return `${poll.source} ${poll.endpoint}: ${poll.cause}`
}
