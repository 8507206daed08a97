// A ticket with its patterns compiled and its times parsed, once per ticket object, so that
// reconciling many changes against the same tickets never compiles a glob twice.
import { isApproved, type ChangeTicket } from './change-ticket.js'
import type { ChangeInterval } from './detected-change.js'
import {
  compileElementPattern,
  compileNodeSelector,
  type ElementPattern,
  type NodeSelector,
  type ScopedNode,
} from './scope-pattern.js'

export interface CompiledTicket {
  readonly ticket: ChangeTicket
  readonly approved: boolean
  readonly start: number
  readonly end: number
  /** Epoch ms of approval; Infinity when not approved, so it sorts last. */
  readonly approvedAt: number
  readonly nodes: readonly NodeSelector[]
  readonly elements: readonly ElementPattern[]
  /** Lifecycle verbs it is limited to; undefined when it takes any change. */
  readonly verbs: ReadonlySet<string> | undefined
}

const compiled = new WeakMap<ChangeTicket, CompiledTicket>()

/** Compiles a ticket that passed `parseTicket`; throws on a pattern that would not have. */
export function compileTicket(ticket: ChangeTicket): CompiledTicket {
  let found = compiled.get(ticket)
  if (found === undefined) {
    found = {
      ticket,
      approved: isApproved(ticket),
      start: Date.parse(ticket.window.start),
      end: Date.parse(ticket.window.end),
      approvedAt: ticket.approvedAt === null ? Infinity : Date.parse(ticket.approvedAt),
      nodes: ticket.scope.nodes.map(compileNodeSelector),
      elements: ticket.scope.elements.map(compileElementPattern),
      verbs: ticket.scope.verbs === undefined ? undefined : new Set(ticket.scope.verbs),
    }
    compiled.set(ticket, found)
  }
  return found
}

/**
 * The window rule. A change happened at some unknown moment between two scans, so a ticket's
 * window covers it when the window, widened by the clock-skew allowance on both sides, intersects
 * that interval. Requiring the whole interval inside the window would flag every change made in
 * a two-hour window on a node scanned daily; the price is that a change made shortly after the
 * window, before the next scan, passes too — bounded by the scan interval, which the result shows.
 */
export function windowCovers(
  ticket: CompiledTicket,
  interval: ChangeInterval,
  skewMs: number,
): boolean {
  return ticket.start - skewMs <= interval.to && ticket.end + skewMs >= interval.from
}

/** The narrowest of the ticket's node selectors that takes the node in, if any. */
export function matchingNodeSelector(
  ticket: CompiledTicket,
  node: ScopedNode,
): NodeSelector | undefined {
  let best: NodeSelector | undefined
  for (const selector of ticket.nodes)
    if ((best === undefined || selector.specificity > best.specificity) && selector.matches(node))
      best = selector
  return best
}

/**
 * Whether the ticket's verbs take in what happened: a ticket without verbs takes any change, one
 * with verbs only lifecycle changes whose every verb it lists.
 */
export function verbsCovered(
  ticket: CompiledTicket,
  verbs: readonly string[] | undefined,
): boolean {
  if (ticket.verbs === undefined) return true
  if (verbs === undefined || verbs.length === 0) return false
  return verbs.every((verb) => ticket.verbs?.has(verb) === true)
}

/** The narrowest of the ticket's element patterns that matches the key, if any. */
export function matchingElementPattern(
  ticket: CompiledTicket,
  kind: string,
  identifier: string,
): ElementPattern | undefined {
  let best: ElementPattern | undefined
  for (const pattern of ticket.elements)
    if (
      pattern.kind === kind &&
      (best === undefined || pattern.specificity > best.specificity) &&
      pattern.matches(identifier)
    )
      best = pattern
  return best
}
