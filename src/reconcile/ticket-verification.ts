// Post-change verification: when a ticket closes, what it changed, what it was to change but did
// not, and what changed on its nodes in its window outside its scope. Pure: the caller gives the
// ticket, the nodes and the changes of the window.
import type { ChangeTicket } from './change-ticket.js'
import {
  compileTicket,
  matchingElementPattern,
  matchingNodeSelector,
  windowCovers,
} from './compiled-ticket.js'
import { changeInterval } from './detected-change.js'
import { splitKey, type ScopedNode } from './scope-pattern.js'

export interface VerifiedChange {
  readonly changeId: number
  readonly node: string
  readonly key: string
  readonly kind: string
  readonly verdict: string | null
}

export interface TicketVerification {
  readonly ticket: string
  readonly state: string
  readonly window: { readonly start: string; readonly end: string }
  /** The nodes the ticket's scope takes in. */
  readonly nodes: readonly string[]
  /** Changes this ticket authorized. */
  readonly changed: readonly VerifiedChange[]
  /** Element patterns no change on any of the ticket's nodes matched: work not done (or not seen). */
  readonly notChanged: readonly string[]
  /** Changes on the ticket's nodes, in its window, that this ticket did not authorize. */
  readonly outsideScope: readonly VerifiedChange[]
}

export interface VerificationChange {
  readonly id: number
  readonly node: ScopedNode
  readonly key: string
  readonly kind: string
  readonly verdict: string | null
  /** The id (ChangeTicket.id) of the ticket that authorized the change, if any. */
  readonly authorizedBy: string | null
  readonly previousScanAt: string
  readonly detectedAt: string
}

/**
 * @example verifyTicket(ticket, nodes, changes).notChanged // ['file:/etc/nginx/conf.d/tls.conf']
 */
export function verifyTicket(
  ticket: ChangeTicket,
  nodes: readonly ScopedNode[],
  changes: readonly VerificationChange[],
  options: { clockSkewMinutes?: number } = {},
): TicketVerification {
  const compiled = compileTicket(ticket)
  const skewMs = (options.clockSkewMinutes ?? 5) * 60_000
  const inScope = nodes.filter((node) => matchingNodeSelector(compiled, node) !== undefined)
  const scopedNames = new Set(inScope.map((node) => node.name))
  const changed: VerifiedChange[] = []
  const outsideScope: VerifiedChange[] = []
  const done = new Set<string>()
  for (const change of changes) {
    if (!scopedNames.has(change.node.name)) continue
    if (!windowCovers(compiled, changeInterval(change), skewMs)) continue
    const verified = {
      changeId: change.id,
      node: change.node.name,
      key: change.key,
      kind: change.kind,
      verdict: change.verdict,
    }
    const { kind, identifier } = splitKey(change.key)
    const pattern = matchingElementPattern(compiled, kind, identifier)
    if (pattern !== undefined) done.add(pattern.source)
    if (change.verdict === 'authorized' && change.authorizedBy === ticket.id) changed.push(verified)
    else if (pattern === undefined) outsideScope.push(verified)
  }
  return {
    ticket: ticket.id,
    state: ticket.state,
    window: ticket.window,
    nodes: [...scopedNames].sort(),
    changed,
    notChanged: ticket.scope.elements.filter((pattern) => !done.has(pattern)),
    outsideScope,
  }
}
