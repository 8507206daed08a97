// The post-change verification of one stored ticket, from the store: its nodes and the changes
// its window may cover, judged by the pure verifyTicket.
import { DriftwatchError } from '../errors/index.js'
import { verifyTicket, type ScopedNode, type TicketVerification } from '../reconcile/index.js'
import type { StoredTicket } from '../store/index.js'
import { changesWindowMayCover, scopedNode, ticketOf } from './change-reconciliation.js'
import type { ConsoleContext } from './console-context.js'

/** The tickets and nodes a verification reads: read once for many tickets saved at once. */
export interface VerificationFacts {
  readonly tickets: readonly StoredTicket[]
  readonly nodes: ReadonlyMap<number, ScopedNode>
}

export async function verificationFacts(context: ConsoleContext): Promise<VerificationFacts> {
  const tickets = await context.store.listTickets({})
  const nodes = new Map(
    (await context.store.listNodes({})).map((node) => [node.id, scopedNode(node)]),
  )
  return { tickets, nodes }
}

/** @throws DriftwatchError DW_ERR_NOT_FOUND when no ticket has that id */
export async function ticketVerification(
  context: ConsoleContext,
  ticketId: string,
  facts?: VerificationFacts,
): Promise<TicketVerification> {
  const { tickets: stored, nodes } = facts ?? (await verificationFacts(context))
  const found = stored.find((ticket) => ticket.externalRef === ticketId)
  if (found === undefined) throw new DriftwatchError('DW_ERR_NOT_FOUND', `no ticket ${ticketId}`)
  const ticket = ticketOf(found)
  const refs = new Map(stored.map((entry) => [entry.id, entry.externalRef]))
  const changes = await context.store.listChanges({
    ...changesWindowMayCover(ticket.window),
    limit: 1_000_000,
  })
  return verifyTicket(
    ticket,
    [...nodes.values()],
    changes.flatMap((change) => {
      const node = nodes.get(change.nodeId)
      if (node === undefined) return []
      return [
        {
          id: change.id,
          node,
          key: change.key,
          kind: change.kind,
          verdict: change.verdict,
          authorizedBy: change.ticketId === null ? null : (refs.get(change.ticketId) ?? null),
          previousScanAt: change.previousScannedAt ?? change.scannedAt,
          detectedAt: change.scannedAt,
        },
      ]
    }),
  )
}
