// A VM that leaves one hypervisor and appears on another (live migration between libvirt hosts,
// cross-vCenter vMotion) is one VM that moved, not a deletion and a creation. Its UUID tells: the
// new hypervisor's collection finds the same UUID on another hypervisor's node, still there or
// deleted there within the day — whichever of the two hypervisors is collected first.
import type { FleetNode } from '../store/index.js'
import type { ConsoleContext } from './console-context.js'

/** How recent a deletion on another hypervisor must be to be the other half of a migration. */
const MIGRATION_WINDOW_MS = 24 * 60 * 60 * 1000

export interface MigrationPeer {
  /** The VM's node on the other hypervisor. */
  readonly node: FleetNode
  /** It is still there (the other hypervisor has not been collected since the move). */
  readonly present: boolean
  /** Its recent deletion there, to be told a migration too: the snapshot and its changes. */
  readonly deletion?: { readonly snapshotId: number; readonly changeIds: readonly number[] }
}

/** The VMs of these UUIDs on other hypervisors (among the fleet's VM nodes), with what became of them there. */
export async function migrationPeers(
  context: ConsoleContext,
  vmNodes: readonly FleetNode[],
  hypervisorNodeId: number,
  uuids: ReadonlySet<string>,
  now: string,
): Promise<Map<string, MigrationPeer>> {
  const peers = new Map<string, MigrationPeer>()
  if (uuids.size === 0) return peers
  const { store } = context
  const since = new Date(Date.parse(now) - MIGRATION_WINDOW_MS).toISOString()
  for (const node of vmNodes) {
    const uuid = node.identity.productUuid
    if (node.parentId === null || node.parentId === hypervisorNodeId) continue
    if (uuid === undefined || !uuids.has(uuid)) continue
    const present = (await store.currentElements(node.id, (key) => key.startsWith('vm:'))).size > 0
    if (present) {
      peers.set(uuid, { node, present })
      continue
    }
    const recent = await store.listChanges({ nodeId: node.id, limit: 50, newestFirst: true })
    const deleted = recent.find(
      (change) => change.lifecycle?.includes('deleted') === true && change.detectedAt >= since,
    )
    if (deleted === undefined) continue
    const changeIds = recent
      .filter((change) => change.snapshotId === deleted.snapshotId)
      .map((change) => change.id)
    peers.set(uuid, { node, present, deletion: { snapshotId: deleted.snapshotId, changeIds } })
  }
  return peers
}

/** `created` or `deleted` becomes `migrated`; the other verbs stay. */
export function asMigration(verbs: readonly string[]): string[] {
  return [
    ...new Set(verbs.map((verb) => (verb === 'created' || verb === 'deleted' ? 'migrated' : verb))),
  ]
}

/**
 * Tells the other hypervisor's recorded deletion that it was a migration, and judges it again:
 * a ticket for the migration authorizes it as it does the arrival.
 */
export async function relabelDeparture(
  context: ConsoleContext,
  peer: MigrationPeer,
  now: string,
): Promise<void> {
  if (peer.deletion === undefined) return
  const changes = await context.store.listChanges({
    nodeId: peer.node.id,
    snapshotId: peer.deletion.snapshotId,
  })
  await context.store.annotateLifecycle(
    changes.map((change) => ({
      changeId: change.id,
      verbs: asMigration(change.lifecycle ?? ['deleted']),
      performedBy: change.performedBy,
    })),
  )
  await context.reconciliation.reconcileSnapshot(peer.node, peer.deletion.snapshotId, now)
}
