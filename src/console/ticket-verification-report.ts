// The post-change verification of one stored ticket, from the store: its nodes and the changes
// its window may cover, judged by the pure verifyTicket.
import { DriftwatchError } from '../errors/index.js'
import { verifyTicket, type TicketVerification } from '../reconcile/index.js'
import { scopedNode, ticketOf } from './change-reconciliation.js'
import type { ConsoleContext } from './console-context.js'

const DAY_MS = 24 * 60 * 60 * 1000

/** @throws DriftwatchError DW_ERR_NOT_FOUND when no ticket has that id */
export async function ticketVerification(
  context: ConsoleContext,
  ticketId: string,
): Promise<TicketVerification> {
  const stored = await context.store.listTickets({})
  const found = stored.find((ticket) => ticket.externalRef === ticketId)
  if (found === undefined) throw new DriftwatchError('DW_ERR_NOT_FOUND', `no ticket ${ticketId}`)
  const ticket = ticketOf(found)
  const refs = new Map(stored.map((entry) => [entry.id, entry.externalRef]))
  const nodes = new Map(
    (await context.store.listNodes({})).map((node) => [node.id, scopedNode(node)]),
  )
  const changes = await context.store.listChanges({
    from: new Date(Date.parse(ticket.window.start) - DAY_MS).toISOString(),
    to: new Date(Date.parse(ticket.window.end) + 7 * DAY_MS).toISOString(),
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
