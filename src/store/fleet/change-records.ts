// Reading changes and promoting them: a promoted element's current state becomes its baseline
// (its deviation row goes), and its open changes close with who promoted them and why.
import type { Kysely, Transaction } from 'kysely'
import type { ChangeFilter, ChangeStatus, StoredChange, Verdict } from '../fleet-store.js'
import type { FleetDatabase } from './fleet-database.js'
import type { FleetDialect } from './fleet-migrations.js'
import { appendAudit } from './audit-records.js'
import { chunks } from './element-interner.js'

export async function listChanges(
  db: Kysely<FleetDatabase>,
  filter: ChangeFilter,
): Promise<StoredChange[]> {
  let query = db
    .selectFrom('changes as c')
    .innerJoin('element_keys as k', 'k.id', 'c.key_id')
    .innerJoin('nodes as n', 'n.id', 'c.node_id')
    .leftJoin('element_states as b', 'b.id', 'c.before_state')
    .leftJoin('element_states as a', 'a.id', 'c.after_state')
    .innerJoin('snapshots as sn', 'sn.id', 'c.snapshot_id')
    .leftJoin('snapshots as ps', 'ps.id', 'c.previous_snapshot_id')
    .select([
      'c.id',
      'c.node_id',
      'n.name as node',
      'k.key',
      'c.kind',
      'b.attributes as before',
      'a.attributes as after',
      'c.snapshot_id',
      'c.previous_snapshot_id',
      'c.detected_at',
      'c.status',
      'c.resolved_at',
      'c.resolved_by',
      'c.resolution_reason',
      'sn.taken_at as scanned_at',
      'ps.taken_at as previous_scanned_at',
      'c.verdict',
      'c.ticket_id',
      'c.verdict_reason',
      'c.lifecycle',
      'c.performed_by',
    ])
    .orderBy('c.id', filter.newestFirst === true ? 'desc' : 'asc')
  if (filter.nodeId !== undefined) query = query.where('c.node_id', '=', filter.nodeId)
  if (filter.status !== undefined) query = query.where('c.status', '=', filter.status)
  if (filter.snapshotId !== undefined) query = query.where('c.snapshot_id', '=', filter.snapshotId)
  if (filter.from !== undefined) query = query.where('c.detected_at', '>=', filter.from)
  if (filter.to !== undefined) query = query.where('c.detected_at', '<', filter.to)
  if (filter.resolvedFrom !== undefined)
    query = query.where('c.resolved_at', '>=', filter.resolvedFrom)
  if (filter.resolvedTo !== undefined) query = query.where('c.resolved_at', '<', filter.resolvedTo)
  if (filter.afterId !== undefined) query = query.where('c.id', '>', filter.afterId)
  if (filter.unsettled === true)
    query = query.where((eb) =>
      eb.or([eb('c.verdict', 'is', null), eb('c.verdict', 'in', ['unauthorized', 'pending'])]),
    )
  query = query.limit(filter.limit ?? 1000)
  return (await query.execute()).map((row) => ({
    id: Number(row.id),
    nodeId: Number(row.node_id),
    node: row.node,
    key: row.key,
    kind: row.kind as StoredChange['kind'],
    before: row.before,
    after: row.after,
    snapshotId: Number(row.snapshot_id),
    previousSnapshotId: Number(row.previous_snapshot_id),
    detectedAt: row.detected_at,
    scannedAt: row.scanned_at,
    previousScannedAt: row.previous_scanned_at,
    status: row.status as ChangeStatus,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    reason: row.resolution_reason,
    verdict: row.verdict as Verdict | null,
    ticketId: row.ticket_id === null ? null : Number(row.ticket_id),
    verdictReason: row.verdict_reason,
    lifecycle: row.lifecycle === null ? null : row.lifecycle.split(','),
    performedBy: row.performed_by,
  }))
}

export async function promote(
  trx: Transaction<FleetDatabase>,
  dialect: FleetDialect,
  input: {
    nodeId: number
    keys: readonly string[] | 'all'
    actor: string
    reason: string
    now: string
  },
): Promise<{ promoted: readonly string[] }> {
  let query = trx
    .selectFrom('baseline_deviations as d')
    .innerJoin('element_keys as k', 'k.id', 'd.key_id')
    .select(['d.key_id', 'k.key'])
    .where('d.node_id', '=', input.nodeId)
  if (input.keys !== 'all')
    query = query.where('k.key', 'in', input.keys.length === 0 ? [''] : input.keys)
  const rows = await query.orderBy('k.key').execute()
  const keyIds = rows.map((row) => Number(row.key_id))
  for (const batch of chunks(keyIds)) {
    await trx
      .deleteFrom('baseline_deviations')
      .where('node_id', '=', input.nodeId)
      .where('key_id', 'in', batch)
      .execute()
    await trx
      .updateTable('changes')
      .set({
        status: 'promoted',
        resolved_at: input.now,
        resolved_by: input.actor,
        resolution_reason: input.reason,
      })
      .where('node_id', '=', input.nodeId)
      .where('status', '=', 'open')
      .where('key_id', 'in', batch)
      .execute()
  }
  const promoted = rows.map((row) => row.key)
  if (promoted.length > 0) {
    await appendAudit(
      trx,
      dialect,
      {
        actor: input.actor,
        action: 'baseline.promote',
        subject: { node: input.nodeId, keys: promoted, reason: input.reason },
      },
      input.now,
    )
  }
  return { promoted }
}
