// Hypervisors the console collects, and the VM nodes they report. A hypervisor is a node of kind
// `hypervisor` that no agent writes; a VM found on it becomes a node of kind `vm` linked to it,
// found again by the VM's UUID. Adding and removing hypervisors is audited; so is each VM node
// that appears.
import type { Kysely, Selectable, Transaction } from 'kysely'
import { DriftwatchError } from '../../errors/index.js'
import type { FleetNode, HypervisorToAdd, StoredHypervisor, VmSighting } from '../fleet-store.js'
import type { FleetDatabase, HypervisorsTable, NodesTable } from './fleet-database.js'
import type { FleetDialect } from './fleet-migrations.js'
import { appendAudit } from './audit-records.js'
import { newNodeRow, toNode } from './node-records.js'

type Row = Selectable<HypervisorsTable> & { name: string; tags: string }

function toHypervisor(row: Row): StoredHypervisor {
  return {
    id: Number(row.id),
    nodeId: Number(row.node_id),
    name: row.name,
    tags: JSON.parse(row.tags) as string[],
    spec: row.spec,
    intervalSeconds: Number(row.interval_seconds),
    createdBy: row.created_by,
    createdAt: row.created_at,
  }
}

function hypervisors(db: Kysely<FleetDatabase> | Transaction<FleetDatabase>) {
  return db
    .selectFrom('hypervisors as h')
    .innerJoin('nodes as n', 'n.id', 'h.node_id')
    .selectAll('h')
    .select(['n.name as name', 'n.tags as tags'])
    .where('h.removed_at', 'is', null)
}

export async function addHypervisor(
  trx: Transaction<FleetDatabase>,
  dialect: FleetDialect,
  hypervisor: HypervisorToAdd,
  actor: string,
  now: string,
): Promise<StoredHypervisor> {
  const existing = await trx
    .selectFrom('hypervisors')
    .select('id')
    .where('spec', '=', hypervisor.spec)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  if (existing !== undefined)
    throw new DriftwatchError(
      'DW_ERR_USAGE',
      `hypervisor ${hypervisor.spec} is already collected (id ${Number(existing.id)})`,
    )
  const node = await trx
    .insertInto('nodes')
    .values(
      newNodeRow({
        name: hypervisor.name,
        kind: 'hypervisor',
        tags: hypervisor.tags,
        identity: { hostname: hypervisor.name },
        now,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow()
  const row = await trx
    .insertInto('hypervisors')
    .values({
      node_id: Number(node.id),
      spec: hypervisor.spec,
      interval_seconds: hypervisor.intervalSeconds,
      created_by: actor,
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await appendAudit(
    trx,
    dialect,
    {
      actor,
      action: 'hypervisor.add',
      subject: { hypervisor: Number(row.id), node: Number(node.id), spec: hypervisor.spec },
    },
    now,
  )
  return toHypervisor(
    await hypervisors(trx).where('h.id', '=', Number(row.id)).executeTakeFirstOrThrow(),
  )
}

export async function removeHypervisor(
  trx: Transaction<FleetDatabase>,
  dialect: FleetDialect,
  id: number,
  actor: string,
  now: string,
): Promise<boolean> {
  const row = await hypervisors(trx).where('h.id', '=', id).executeTakeFirst()
  if (row === undefined) return false
  await trx.updateTable('hypervisors').set({ removed_at: now }).where('id', '=', id).execute()
  await trx
    .updateTable('nodes')
    .set({ status: 'retired' })
    .where((eb) => eb.or([eb('id', '=', row.node_id), eb('parent_id', '=', row.node_id)]))
    .execute()
  await appendAudit(
    trx,
    dialect,
    { actor, action: 'hypervisor.remove', subject: { hypervisor: id, spec: row.spec } },
    now,
  )
  return true
}

export async function listHypervisors(db: Kysely<FleetDatabase>): Promise<StoredHypervisor[]> {
  return (await hypervisors(db).orderBy('h.id').execute()).map(toHypervisor)
}

/**
 * The VM nodes for the VMs one inventory of a hypervisor reports, in their order: found among
 * the hypervisor's VM nodes by UUID (read once), renamed when the hypervisor renamed them, and
 * created the first time (audited as `node.appeared`).
 */
export async function sightVms(
  trx: Transaction<FleetDatabase>,
  dialect: FleetDialect,
  parentId: number,
  sightings: readonly VmSighting[],
  now: string,
): Promise<{ node: FleetNode; created: boolean }[]> {
  // Removed while its collection ran: its VMs are not brought back as orphans.
  const collected = await trx
    .selectFrom('hypervisors')
    .select('id')
    .where('node_id', '=', parentId)
    .where('removed_at', 'is', null)
    .executeTakeFirst()
  if (collected === undefined)
    throw new DriftwatchError(
      'DW_ERR_NOT_FOUND',
      `hypervisor node ${parentId} is no longer collected`,
    )
  const known = new Map<string, Selectable<NodesTable>>()
  for (const row of await trx
    .selectFrom('nodes')
    .selectAll()
    .where('parent_id', '=', parentId)
    .where('kind', '=', 'vm')
    .execute()) {
    const uuid = toNode(row).identity.productUuid
    if (uuid !== undefined) known.set(uuid, row)
  }
  const sighted: { node: FleetNode; created: boolean }[] = []
  for (const sighting of sightings) {
    const vmIdentity = {
      hostname: sighting.name,
      productUuid: sighting.uuid.toLowerCase(),
      macs: [...sighting.macs],
    }
    const identity = JSON.stringify(vmIdentity)
    const row = known.get(sighting.uuid.toLowerCase())
    if (row !== undefined) {
      if (row.name === sighting.name && row.identity === identity) {
        sighted.push({ node: toNode(row), created: false })
        continue
      }
      const updated = await trx
        .updateTable('nodes')
        .set({ name: sighting.name, identity })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow()
      sighted.push({ node: toNode(updated), created: false })
      continue
    }
    const inserted = await trx
      .insertInto('nodes')
      .values(
        newNodeRow({
          name: sighting.name,
          kind: 'vm',
          tags: sighting.tags,
          identity: vmIdentity,
          now,
          parentId,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow()
    const node = toNode(inserted)
    await appendAudit(
      trx,
      dialect,
      {
        actor: `node:${parentId}`,
        action: 'node.appeared',
        subject: { node: node.id, name: node.name, kind: 'vm', hypervisor: parentId },
      },
      now,
    )
    sighted.push({ node, created: true })
  }
  return sighted
}

/** Stores the lifecycle verbs (and who, where known) of VM changes. */
export async function annotateLifecycle(
  trx: Transaction<FleetDatabase>,
  entries: readonly { changeId: number; verbs: readonly string[]; performedBy: string | null }[],
): Promise<void> {
  for (const entry of entries) {
    await trx
      .updateTable('changes')
      .set({ lifecycle: entry.verbs.join(','), performed_by: entry.performedBy })
      .where('id', '=', entry.changeId)
      .execute()
  }
}
