// The verdict on one detected change: authorized by a ticket, explained by a package update,
// pending a ticket's approval, or unauthorized — with why, and why each near-miss ticket did not apply.
import type { ChangeTicket } from './change-ticket.js'
import {
  compileTicket,
  matchingElementPattern,
  matchingNodeSelector,
  verbsCovered,
  windowCovers,
  type CompiledTicket,
} from './compiled-ticket.js'
import { changeInterval, type ChangeInterval, type DetectedChange } from './detected-change.js'
import { explainByPackage, type PackageFacts, type PackageUpdate } from './package-provenance.js'
import { splitKey, type ElementPattern, type NodeSelector } from './scope-pattern.js'

export interface ReconcileOptions {
  /** How far agent and console clocks may disagree; widens each ticket window on both sides. */
  readonly clockSkewMinutes?: number | undefined
  /**
   * How close in time a ticket's window must come to the change for a ticket that missed it to be
   * shown as a near miss; default 24 hours. Older and later tickets are not what an operator
   * looks for, and with thousands of tickets they would bury the ones that are.
   */
  readonly nearMissHours?: number | undefined
  /** How many near misses a result lists at most (default 10); the rest are counted. */
  readonly maxNearMisses?: number | undefined
  /** Given, a change no ticket authorizes may still be explained by a package update. */
  readonly packageFacts?: PackageFacts | undefined
}

/** Five minutes: NTP-synchronized clocks are well within it, an unsynchronized VM often is not. */
export const DEFAULT_CLOCK_SKEW_MINUTES = 5
export const DEFAULT_NEAR_MISS_HOURS = 24
export const DEFAULT_MAX_NEAR_MISSES = 10

/** The milliseconds by which a window is widened to authorize, and to be a near miss. */
export function timeAllowances(options: ReconcileOptions): { skewMs: number; nearMs: number } {
  const skewMs = (options.clockSkewMinutes ?? DEFAULT_CLOCK_SKEW_MINUTES) * 60_000
  return { skewMs, nearMs: skewMs + (options.nearMissHours ?? DEFAULT_NEAR_MISS_HOURS) * 3_600_000 }
}

export type TicketAspect = 'state' | 'window' | 'node' | 'element'

export interface NearMiss {
  readonly ticketId: string
  /** Every aspect in which the ticket does not cover the change, in the order state, window, node, element. */
  readonly reasons: readonly { readonly aspect: TicketAspect; readonly message: string }[]
}

interface ReconciliationBase {
  readonly key: string
  readonly node: string
  /** The scan times between which the change happened. */
  readonly between: { readonly from: string; readonly to: string }
  /** What an operator reads: why this verdict. */
  readonly reasons: readonly string[]
  /**
   * Tickets that nearly applied: first those for this node and element (failing on state or
   * window), then approved ones open on the node that did not foresee the element, then those for
   * the element on other nodes; by ticket id within each.
   */
  readonly nearMisses: readonly NearMiss[]
  /** Near misses beyond `maxNearMisses`, not listed. */
  readonly nearMissesOmitted: number
}

export type Reconciliation =
  | (ReconciliationBase & {
      readonly verdict: 'authorized'
      readonly ticketId: string
      /** The ticket was approved after the scan that found the change: the audit log must say so. */
      readonly retroactive: boolean
      /** Other tickets that authorize the change too, in the order they were passed over. */
      readonly alsoAuthorizedBy: readonly string[]
    })
  | (ReconciliationBase & { readonly verdict: 'explained'; readonly packageUpdate: PackageUpdate })
  | (ReconciliationBase & {
      readonly verdict: 'pending'
      /** Requested tickets that would authorize the change once approved. */
      readonly awaitingApproval: readonly string[]
    })
  | (ReconciliationBase & { readonly verdict: 'unauthorized' })

/**
 * Reconciles one change with candidate tickets (all open tickets, or what a `TicketIndex` picked).
 *
 * A ticket authorizes the change when it is approved (approved, scheduled, implemented or closed),
 * its window (widened by the clock-skew allowance) intersects the interval between the two scans,
 * one of its node selectors takes the node in and one of its element patterns matches the key.
 * Among several, the one with the narrowest matching element pattern wins, then the narrowest node
 * selector, then the earliest approval, then the smallest id. Otherwise a package update may
 * explain it; otherwise it is pending while a requested ticket would cover it, else unauthorized.
 *
 * A near miss is a ticket whose window comes within `nearMissHours` of the change and which either
 * covers the change's node and element (failing on state or window) or fails in exactly one
 * aspect: listing every ticket would bury the ones an operator is looking for.
 *
 * @example
 * reconcileChange(change, tickets, { clockSkewMinutes: 5 })
 * // { verdict: 'authorized', ticketId: 'CHG-1', retroactive: false, reasons: [...], nearMisses: [...] }
 */
export function reconcileChange(
  change: DetectedChange,
  candidateTickets: readonly ChangeTicket[],
  options: ReconcileOptions = {},
): Reconciliation {
  return reconcileCompiled(change, candidateTickets.map(compileTicket), options)
}

interface Candidate {
  readonly ticket: CompiledTicket
  /** For near misses: 0 node and element in scope, 1 element not foreseen, 2 node not in scope. */
  readonly rank: number
  readonly node: NodeSelector | undefined
  readonly element: ElementPattern | undefined
  readonly inWindow: boolean
}

/** {@link reconcileChange} over tickets compiled already (the index keeps them so). */
export function reconcileCompiled(
  change: DetectedChange,
  tickets: readonly CompiledTicket[],
  options: ReconcileOptions,
): Reconciliation {
  const interval = changeInterval(change)
  const { skewMs, nearMs } = timeAllowances(options)
  const { kind, identifier } = splitKey(change.key)
  const authorizing: Candidate[] = []
  const misses: Candidate[] = []
  const awaiting: string[] = []
  for (const ticket of tickets) {
    const inWindow = windowCovers(ticket, interval, skewMs)
    // Checked cheapest first: most candidates are out of time or out of scope.
    if (!inWindow && !windowCovers(ticket, interval, nearMs)) continue
    const element = verbsCovered(ticket, change.verbs)
      ? matchingElementPattern(ticket, kind, identifier)
      : undefined
    if (!inWindow && element === undefined) continue
    const node = matchingNodeSelector(ticket, change.node)
    const failures =
      (ticket.approved ? 0 : 1) + (inWindow ? 0 : 1) + (node ? 0 : 1) + (element ? 0 : 1)
    if (failures === 0) authorizing.push({ ticket, rank: 0, node, element, inWindow })
    else if ((node && element) || failures === 1) {
      misses.push({ ticket, rank: node ? (element ? 0 : 1) : 2, node, element, inWindow })
      if (failures === 1 && ticket.ticket.state === 'requested') awaiting.push(ticket.ticket.id)
    }
  }
  // Messages are built for the listed near misses only: with thousands of open tickets, a change
  // on a busy node can have dozens.
  misses.sort((a, b) => a.rank - b.rank || compareText(a.ticket.ticket.id, b.ticket.ticket.id))
  const listed = misses.slice(0, options.maxNearMisses ?? DEFAULT_MAX_NEAR_MISSES)
  const base = {
    key: change.key,
    node: change.node.name,
    between: { from: change.previousScanAt, to: change.detectedAt },
    nearMisses: listed.map((miss) => nearMiss(miss, change, interval, skewMs)),
    nearMissesOmitted: misses.length - listed.length,
  }

  if (authorizing.length > 0) {
    authorizing.sort(byPreference)
    const [winner, ...others] = authorizing as [Candidate, ...Candidate[]]
    const ticket = winner.ticket.ticket
    const retroactive = winner.ticket.approvedAt > interval.to
    const reasons = [
      `${ticket.id} (${ticket.state}, approved by ${ticket.approver ?? 'unknown'}) covers node ${change.node.name} by ${winner.node?.source ?? ''} and ${change.key} by ${winner.element?.source ?? ''}; its window ${ticket.window.start} – ${ticket.window.end} overlaps the scans' interval`,
    ]
    if (retroactive)
      reasons.push(
        `approved at ${ticket.approvedAt ?? ''}, after the change was detected: reconciled retroactively`,
      )
    if (others.length > 0)
      reasons.push(
        `also authorized by ${others.map((o) => o.ticket.ticket.id).join(', ')}; ${ticket.id} has the narrowest scope or the earliest approval`,
      )
    return {
      ...base,
      verdict: 'authorized',
      ticketId: ticket.id,
      retroactive,
      alsoAuthorizedBy: others.map((o) => o.ticket.ticket.id),
      reasons,
    }
  }

  const explanation =
    options.packageFacts === undefined ? undefined : explainByPackage(change, options.packageFacts)
  if (explanation?.explained === true)
    return {
      ...base,
      verdict: 'explained',
      packageUpdate: explanation.update,
      reasons: [explanation.reason],
    }

  const reasons = [
    misses.length === 0
      ? `no ticket covers node ${change.node.name} and ${change.key}`
      : `no approved ticket covers it; ${misses.length} came close (see near misses)`,
  ]
  if (explanation !== undefined) reasons.push(`not a package update: ${explanation.reason}`)
  if (awaiting.length > 0) {
    awaiting.sort(compareText)
    reasons.unshift(`awaiting approval of ${awaiting.join(', ')}`)
    return { ...base, verdict: 'pending', awaitingApproval: awaiting, reasons }
  }
  return { ...base, verdict: 'unauthorized', reasons }
}

function byPreference(a: Candidate, b: Candidate): number {
  return (
    (b.element?.specificity ?? 0) - (a.element?.specificity ?? 0) ||
    (b.node?.specificity ?? 0) - (a.node?.specificity ?? 0) ||
    a.ticket.approvedAt - b.ticket.approvedAt ||
    compareText(a.ticket.ticket.id, b.ticket.ticket.id)
  )
}

function nearMiss(
  candidate: Candidate,
  change: DetectedChange,
  interval: ChangeInterval,
  skewMs: number,
): NearMiss {
  const { ticket } = candidate.ticket
  const reasons: { aspect: TicketAspect; message: string }[] = []
  if (!candidate.ticket.approved)
    reasons.push({
      aspect: 'state',
      message:
        ticket.state === 'requested'
          ? 'requested, not approved yet'
          : `the ticket is ${ticket.state}`,
    })
  if (!candidate.inWindow) {
    const skew = skewMs > 0 ? ` (allowing ${skewMs / 60_000} min of clock skew)` : ''
    reasons.push({
      aspect: 'window',
      message:
        candidate.ticket.end + skewMs < interval.from
          ? `its window ended at ${ticket.window.end}, before the scan at ${change.previousScanAt} that still saw the element unchanged${skew}`
          : `its window starts at ${ticket.window.start}, after the scan at ${change.detectedAt} that found the change${skew}`,
    })
  }
  if (candidate.node === undefined)
    reasons.push({
      aspect: 'node',
      message: `node ${change.node.name} is not in ${ticket.scope.nodes.join(', ')}`,
    })
  if (candidate.element === undefined)
    reasons.push({
      aspect: 'element',
      message: verbsCovered(candidate.ticket, change.verbs)
        ? `${change.key} is not in ${ticket.scope.elements.join(', ')}: a change the ticket did not foresee`
        : `the ticket authorizes ${ticket.scope.verbs?.join(', ') ?? ''}, and ${change.key} was ${change.verbs?.join(', ') ?? 'changed (no lifecycle verb)'}`,
    })
  return { ticketId: ticket.id, reasons }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
