// Maintenance windows: stored beside their ticket, ended early by hand or at their end by the
// clock. Creating and ending one are audited: both change what is authorized.
import type { Kysely, Selectable, Transaction } from 'kysely'
import { DriftwatchError } from '../../errors/index.js'
import type { MaintenanceWindowToSave, StoredMaintenanceWindow } from '../fleet-store.js'
import type { FleetDatabase, MaintenanceWindowsTable } from './fleet-database.js'
import type { FleetDialect } from './fleet-migrations.js'
import { appendAudit } from './audit-records.js'
import { raiseRevision } from './revision-records.js'

type Row = Selectable<MaintenanceWindowsTable> & { ticket_ref: string }

function toWindow(row: Row): StoredMaintenanceWindow {
  return {
    id: Number(row.id),
    ticketId: Number(row.ticket_id),
    ticketRef: row.ticket_ref,
    name: row.name,
    nodes: JSON.parse(row.nodes) as string[],
    elements: JSON.parse(row.elements) as string[],
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    endedBy: row.ended_by,
  }
}

function windows(db: Kysely<FleetDatabase> | Transaction<FleetDatabase>) {
  return db
    .selectFrom('maintenance_windows as w')
    .innerJoin('tickets as t', 't.id', 'w.ticket_id')
    .selectAll('w')
    .select('t.external_ref as ticket_ref')
}

export async function createMaintenanceWindow(
  trx: Transaction<FleetDatabase>,
  dialect: FleetDialect,
  window: MaintenanceWindowToSave,
  actor: string,
  now: string,
): Promise<StoredMaintenanceWindow> {
  const ticket = await trx
    .selectFrom('tickets')
    .select(['id', 'external_ref'])
    .where('id', '=', window.ticketId)
    .executeTakeFirst()
  if (ticket === undefined)
    throw new DriftwatchError('DW_ERR_NOT_FOUND', `no ticket ${window.ticketId}`)
  const row = await trx
    .insertInto('maintenance_windows')
    .values({
      ticket_id: window.ticketId,
      name: window.name,
      nodes: JSON.stringify(window.nodes),
      elements: JSON.stringify(window.elements),
      starts_at: window.startsAt,
      ends_at: window.endsAt,
      created_by: actor,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const id = Number(row.id)
  await raiseRevision(trx, 'tickets')
  await appendAudit(
    trx,
    dialect,
    {
      actor,
      action: 'maintenance-window.create',
      subject: {
        window: id,
        ticket: ticket.external_ref,
        name: window.name,
        nodes: window.nodes,
        elements: window.elements,
        startsAt: window.startsAt,
        endsAt: window.endsAt,
      },
    },
    now,
  )
  return toWindow(await windows(trx).where('w.id', '=', id).executeTakeFirstOrThrow())
}

export async function endMaintenanceWindow(
  trx: Transaction<FleetDatabase>,
  dialect: FleetDialect,
  id: number,
  actor: string,
  now: string,
): Promise<StoredMaintenanceWindow | undefined> {
  const row = await windows(trx).where('w.id', '=', id).executeTakeFirst()
  if (row === undefined) return undefined
  if (row.ends_at <= now) return toWindow(row)
  // A window not started yet ends at its start: reconciliation leaves such a window out.
  const endsAt = row.starts_at > now ? row.starts_at : now
  await trx
    .updateTable('maintenance_windows')
    .set({ ends_at: endsAt, ended_by: actor, updated_at: now })
    .where('id', '=', id)
    .execute()
  await raiseRevision(trx, 'tickets')
  await appendAudit(
    trx,
    dialect,
    {
      actor,
      action: 'maintenance-window.end',
      subject: { window: id, ticket: row.ticket_ref, plannedEnd: row.ends_at, endsAt },
    },
    now,
  )
  return toWindow({ ...row, ends_at: endsAt, ended_by: actor })
}

export async function listMaintenanceWindows(
  db: Kysely<FleetDatabase>,
  filter: { openAt?: string },
): Promise<StoredMaintenanceWindow[]> {
  let query = windows(db).orderBy('w.id')
  if (filter.openAt !== undefined) query = query.where('w.ends_at', '>', filter.openAt)
  return (await query.execute()).map(toWindow)
}
