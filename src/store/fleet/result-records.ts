// A node's results: replaced at each evaluation, writing only the rows whose verdict or detail
// changed, and keeping when each failing test first failed (its deadline runs from then).
import { createHash } from 'node:crypto'
import type { Insertable, Kysely, Transaction } from 'kysely'
import type { ResultToStore, StoredResult } from '../fleet-store.js'
import type { FleetDatabase, ResultsTable } from './fleet-database.js'

export async function recordResults(
  trx: Transaction<FleetDatabase>,
  nodeId: number,
  snapshotId: number,
  results: readonly ResultToStore[],
  now: string,
): Promise<void> {
  const earlier = await trx
    .selectFrom('results')
    .select(['policy', 'test', 'status', 'result_digest', 'first_failed'])
    .where('node_id', '=', nodeId)
    .execute()
  const stored = new Map(earlier.map((row) => [`${row.policy}/${row.test}`, row]))
  const inserts: Insertable<ResultsTable>[] = []
  // Only what changed is written: a rescan that changes no verdict writes no result row.
  for (const result of results) {
    const id = `${result.policy}/${result.test}`
    const before = stored.get(id)
    stored.delete(id)
    const text = JSON.stringify(result.detail)
    const digest = createHash('sha256').update(text).digest('base64url')
    const firstFailed = result.status === 'fail' ? (before?.first_failed ?? now) : null
    if (
      before !== undefined &&
      before.status === result.status &&
      before.result_digest === digest
    ) {
      continue
    }
    const row = {
      node_id: nodeId,
      policy: result.policy,
      test: result.test,
      status: result.status,
      severity: result.severity,
      result: text,
      result_digest: digest,
      first_failed: firstFailed,
      snapshot_id: snapshotId,
    }
    if (before === undefined) inserts.push(row)
    else {
      await trx
        .updateTable('results')
        .set(row)
        .where('node_id', '=', nodeId)
        .where('policy', '=', result.policy)
        .where('test', '=', result.test)
        .execute()
    }
  }
  for (const gone of stored.values()) {
    await trx
      .deleteFrom('results')
      .where('node_id', '=', nodeId)
      .where('policy', '=', gone.policy)
      .where('test', '=', gone.test)
      .execute()
  }
  for (let index = 0; index < inserts.length; index += 200) {
    await trx
      .insertInto('results')
      .values(inserts.slice(index, index + 200))
      .execute()
  }
  await trx
    .updateTable('nodes')
    .set({ evaluated_snapshot: snapshotId })
    .where('id', '=', nodeId)
    .execute()
}

export async function firstFailures(
  db: Kysely<FleetDatabase>,
  nodeId: number,
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('results')
    .select(['policy', 'test', 'first_failed'])
    .where('node_id', '=', nodeId)
    .where('first_failed', 'is not', null)
    .execute()
  return new Map(rows.map((row) => [`${row.policy}/${row.test}`, row.first_failed as string]))
}

export async function listResults(
  db: Kysely<FleetDatabase>,
  filter: {
    nodeId?: number
    policy?: string
    test?: string
    status?: string
  },
): Promise<StoredResult[]> {
  let query = db
    .selectFrom('results')
    .selectAll()
    .orderBy('node_id')
    .orderBy('policy')
    .orderBy('test')
  if (filter.nodeId !== undefined) query = query.where('node_id', '=', filter.nodeId)
  if (filter.policy !== undefined) query = query.where('policy', '=', filter.policy)
  if (filter.test !== undefined) query = query.where('test', '=', filter.test)
  if (filter.status !== undefined) query = query.where('status', '=', filter.status)
  return (await query.execute()).map((row) => ({
    nodeId: Number(row.node_id),
    policy: row.policy,
    test: row.test,
    status: row.status,
    severity: row.severity,
    firstFailed: row.first_failed,
    snapshotId: Number(row.snapshot_id),
    detail: JSON.parse(row.result) as Record<string, unknown>,
  }))
}
