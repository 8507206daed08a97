// Nodes and their enrollment: a one-time (or, for VM templates, reusable) token is exchanged for
// a node and its credential. A node whose hardware identity matches an active node's is stored
// as a duplicate of it — reported, never merged.
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely'
import type {
  EnrollmentRequest,
  EnrollmentTokenInfo,
  FleetNode,
  NodeFilter,
  NodeIdentity,
  NodeStatus,
} from '../fleet-store.js'
import type { FleetDatabase, NodesTable } from './fleet-database.js'
import type { FleetDialect } from './fleet-migrations.js'
import { machineRelation } from '../node-identity.js'
import { appendAudit } from './audit-records.js'

/**
 * A node's row as it is first stored: active, nothing seen yet, no baseline, written by no
 * agent (enrollment sets the credential).
 */
export function newNodeRow(node: {
  name: string
  kind: string
  tags: readonly string[]
  identity: NodeIdentity
  now: string
  parentId?: number
}): Insertable<NodesTable> {
  return {
    name: node.name,
    kind: node.kind,
    tags: JSON.stringify(node.tags),
    status: 'active',
    identity: JSON.stringify(node.identity),
    credential_hash: null,
    enrolled_at: node.now,
    last_seen_at: null,
    last_sequence: 0,
    baseline_at: null,
    duplicate_of: null,
    evaluated_snapshot: null,
    parent_id: node.parentId ?? null,
  }
}

export function toNode(row: Selectable<NodesTable>): FleetNode {
  return {
    id: Number(row.id),
    name: row.name,
    kind: row.kind,
    tags: JSON.parse(row.tags) as string[],
    status: row.status as NodeStatus,
    identity: JSON.parse(row.identity) as NodeIdentity,
    enrolledAt: row.enrolled_at,
    lastSeenAt: row.last_seen_at,
    lastSequence: Number(row.last_sequence),
    baselineAt: row.baseline_at,
    duplicateOf: row.duplicate_of === null ? null : Number(row.duplicate_of),
    parentId: row.parent_id === null ? null : Number(row.parent_id),
  }
}

export async function enrollNode(
  trx: Transaction<FleetDatabase>,
  dialect: FleetDialect,
  request: EnrollmentRequest,
): Promise<FleetNode | undefined> {
  let tokenQuery = trx
    .selectFrom('enrollment_tokens')
    .selectAll()
    .where('token_hash', '=', request.tokenHash)
  if (dialect === 'postgres') tokenQuery = tokenQuery.forUpdate()
  const token = await tokenQuery.executeTakeFirst()
  if (token === undefined || token.expires_at <= request.now) return undefined
  if (token.reusable === 0 && token.used_at !== null) return undefined
  // Only nodes agents write: a hypervisor's record of a VM has the VM's UUID too, and the agent
  // inside that VM is no clone of it.
  const active = await trx
    .selectFrom('nodes')
    .select(['id', 'identity'])
    .where('status', '=', 'active')
    .where('credential_hash', 'is not', null)
    .execute()
  const original = active.find(
    (row) => machineRelation(JSON.parse(row.identity) as NodeIdentity, request.identity) === 'same',
  )
  const inserted = await trx
    .insertInto('nodes')
    .values({
      ...newNodeRow({
        name: request.name,
        kind: request.kind,
        tags: JSON.parse(token.tags) as string[],
        identity: request.identity,
        now: request.now,
      }),
      status: original === undefined ? 'active' : 'duplicate',
      credential_hash: request.credentialHash,
      duplicate_of: original === undefined ? null : Number(original.id),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  const node = toNode(inserted)
  await trx
    .updateTable('enrollment_tokens')
    .set({ used_at: request.now, node_id: node.id })
    .where('id', '=', token.id)
    .execute()
  await appendAudit(
    trx,
    dialect,
    {
      actor: `node:${node.id}`,
      action: 'node.appeared',
      subject: { node: node.id, name: node.name, kind: node.kind, token: Number(token.id) },
    },
    request.now,
  )
  if (original !== undefined) {
    await appendAudit(
      trx,
      dialect,
      {
        actor: `node:${node.id}`,
        action: 'node.duplicate-identity',
        subject: { node: node.id, duplicateOf: Number(original.id), identity: request.identity },
      },
      request.now,
    )
  }
  return node
}

export async function nodeWhere(
  db: Kysely<FleetDatabase>,
  column: 'id' | 'credential_hash',
  value: number | string,
): Promise<FleetNode | undefined> {
  const row = await db.selectFrom('nodes').selectAll().where(column, '=', value).executeTakeFirst()
  return row === undefined ? undefined : toNode(row)
}

export async function listNodes(
  db: Kysely<FleetDatabase>,
  filter: NodeFilter,
): Promise<FleetNode[]> {
  let query = db.selectFrom('nodes').selectAll().orderBy('id')
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind)
  if (filter.status !== undefined) query = query.where('status', '=', filter.status)
  if (filter.seenAfter !== undefined) query = query.where('last_seen_at', '>=', filter.seenAfter)
  if (filter.seenBefore !== undefined) {
    const before = filter.seenBefore
    query = query.where((eb) =>
      eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', before)]),
    )
  }
  if (filter.tag !== undefined) {
    // Tags are a JSON array: the database keeps the rows whose text holds the tag as a JSON
    // string (the same LIKE in both databases), and the exact test is made on the parsed array.
    const quoted = JSON.stringify(filter.tag).replace(/[\\%_]/g, (c) => `\\${c}`)
    query = query.where(sql<boolean>`tags like ${`%${quoted}%`} escape '\\'`)
  }
  const nodes = (await query.execute()).map(toNode)
  return filter.tag === undefined
    ? nodes
    : nodes.filter((node) => node.tags.includes(filter.tag as string))
}

export async function listEnrollmentTokens(
  db: Kysely<FleetDatabase>,
): Promise<EnrollmentTokenInfo[]> {
  const rows = await db.selectFrom('enrollment_tokens').selectAll().orderBy('id').execute()
  return rows.map((row) => ({
    id: Number(row.id),
    tags: JSON.parse(row.tags) as string[],
    reusable: row.reusable === 1,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    nodeId: row.node_id === null ? null : Number(row.node_id),
  }))
}
