// Tickets from any source — the API, a CSV or JSON import, a ticket-system poller — go through one
// intake: mapped onto the reconciliation core's ChangeTicket, checked by its parser (a bad ticket
// is reported with its place, never half-saved), saved by id, and then the changes their windows
// may cover are judged again.
import { parseTicket, type ChangeTicket, type TicketProblem } from '../reconcile/index.js'
import {
  formatTicketProblem,
  type ImportedTicket,
  type TicketProblem as SourceProblem,
} from '../reconcile/sources/index.js'
import type { ConsoleContext } from './console-context.js'
import { ticketVerification, verificationFacts } from './ticket-verification-report.js'

export interface IntakeResult {
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  /** Verdicts that changed because of these tickets, and those authorized after the fact. */
  readonly verdictsChanged: number
  readonly retroactive: readonly number[]
  /** One line per ticket or row that was not saved, naming its place. */
  readonly problems: readonly string[]
}

/** `web-*` is a name glob; `tag:`, `group:` and `name:` selectors pass as they are. */
function nodeSelector(entry: string): string {
  return /^(name|tag|group):/.test(entry) ? entry : `name:${entry}`
}

/** An imported ticket in the core's words, for its parser to check. */
export function changeTicketInput(ticket: ImportedTicket): Record<string, unknown> {
  return {
    id: ticket.externalRef,
    externalRef: ticket.externalRef,
    title: ticket.title,
    state: ticket.state,
    ...(ticket.approver === undefined ? {} : { approver: ticket.approver }),
    ...(ticket.approvedAt === undefined ? {} : { approvedAt: ticket.approvedAt }),
    window: { start: ticket.windowStart, end: ticket.windowEnd },
    scope: { nodes: ticket.nodes.map(nodeSelector), elements: ticket.elements },
  }
}

function problemLine(problem: TicketProblem): string {
  return `${problem.place}: ${problem.field}: ${problem.message}`
}

/**
 * Saves checked tickets and judges again the changes in their windows.
 *
 * @example await takeInTickets(context, [{ input: changeTicketInput(t), place: 'tickets.csv:3', source: 'csv' }], 'alice')
 */
export async function takeInTickets(
  context: ConsoleContext,
  tickets: readonly { input: unknown; place: string; source: string }[],
  actor: string,
  sourceProblems: readonly SourceProblem[] = [],
): Promise<IntakeResult> {
  const problems = sourceProblems.map(formatTicketProblem)
  const counts = { created: 0, updated: 0, unchanged: 0 }
  const saved: ChangeTicket[] = []
  const now = context.now().toISOString()
  for (const { input, place, source } of tickets) {
    const parsed = parseTicket(input, place)
    if (!parsed.ok) {
      problems.push(...parsed.problems.map(problemLine))
      continue
    }
    const ticket = parsed.ticket
    const outcome = await context.store.saveTicket(
      {
        externalRef: ticket.id,
        source,
        state: ticket.state,
        windowStart: ticket.window.start,
        windowEnd: ticket.window.end,
        document: { ...ticket },
      },
      actor,
      now,
    )
    counts[outcome.outcome] += 1
    if (outcome.outcome !== 'unchanged') saved.push(ticket)
  }
  let verdictsChanged = 0
  const retroactive: number[] = []
  if (saved.length > 0) {
    // One pass over the span all saved windows cover.
    const start = saved.map((ticket) => ticket.window.start).sort()[0] as string
    const end = saved
      .map((ticket) => ticket.window.end)
      .sort()
      .at(-1) as string
    const judged = await context.reconciliation.reconcileWindow({ start, end }, now)
    verdictsChanged = judged.changed
    retroactive.push(...judged.retroactive)
    // A ticket that closes is checked against what happened, and the check is kept for auditors.
    const closed = saved.filter((entry) => entry.state === 'closed')
    const facts = closed.length === 0 ? undefined : await verificationFacts(context)
    for (const ticket of closed) {
      const report = await ticketVerification(context, ticket.id, facts)
      await context.store.audit(
        {
          actor,
          action: 'ticket.verified',
          subject: {
            ticket: ticket.id,
            changed: report.changed.length,
            notChanged: report.notChanged,
            outsideScope: report.outsideScope.map((change) => change.changeId),
          },
        },
        now,
      )
    }
  }
  return { ...counts, verdictsChanged, retroactive, problems }
}
