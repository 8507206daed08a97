// What the store holds over time: an element's versions on a node, and how many rows each
// table has (how much deduplication saves; the benchmarks report it).
import type { Kysely } from 'kysely'
import type { ElementVersion, FleetStatistics } from '../fleet-store.js'
import type { FleetDatabase } from './fleet-database.js'

export async function elementVersions(
  db: Kysely<FleetDatabase>,
  nodeId: number,
  key: string,
): Promise<ElementVersion[]> {
  const rows = await db
    .selectFrom('element_versions as v')
    .innerJoin('element_keys as k', 'k.id', 'v.key_id')
    .innerJoin('element_states as s', 's.id', 'v.state_id')
    .innerJoin('snapshots as sn', 'sn.id', 'v.from_snapshot')
    .select(['s.attributes', 's.content_sha256', 'v.from_snapshot', 'v.to_snapshot', 'sn.taken_at'])
    .where('v.node_id', '=', nodeId)
    .where('k.key', '=', key)
    .orderBy('v.from_snapshot')
    .execute()
  return rows.map((row) => ({
    attributes: row.attributes,
    contentSha256: row.content_sha256,
    fromSnapshot: Number(row.from_snapshot),
    toSnapshot: row.to_snapshot === null ? null : Number(row.to_snapshot),
    seenAt: row.taken_at,
  }))
}

export async function fleetStatistics(db: Kysely<FleetDatabase>): Promise<FleetStatistics> {
  const count = async (table: keyof FleetDatabase): Promise<number> => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow()
    return Number(row.count)
  }
  return {
    nodes: await count('nodes'),
    snapshots: await count('snapshots'),
    elementKeys: await count('element_keys'),
    elementStates: await count('element_states'),
    elementVersions: await count('element_versions'),
    contents: await count('contents'),
    changes: await count('changes'),
  }
}
