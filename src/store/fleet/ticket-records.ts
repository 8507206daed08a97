// Change tickets and the verdicts reconciliation gives changes. Saving a ticket again with the
// same content writes nothing; a new state is recorded in the audit log. A verdict that turns an
// unauthorized change into an authorized one (a ticket approved after the change) is recorded as
// a retroactive reconciliation (so is a pending one whose ticket is then approved).
import type { Kysely, Selectable, Transaction } from 'kysely'
import type { ChangeVerdict, StoredTicket, TicketToSave } from '../fleet-store.js'
import type { FleetDatabase, TicketsTable } from './fleet-database.js'
import type { FleetDialect } from './fleet-migrations.js'
import { appendAudit } from './audit-records.js'
import { raiseRevision } from './revision-records.js'
import { chunks } from './element-interner.js'

function toTicket(row: Selectable<TicketsTable>): StoredTicket {
  return {
    id: Number(row.id),
    externalRef: row.external_ref,
    source: row.source,
    state: row.state,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    document: JSON.parse(row.document) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export async function saveTicket(
  trx: Transaction<FleetDatabase>,
  dialect: FleetDialect,
  ticket: TicketToSave,
  actor: string,
  now: string,
): Promise<{ id: number; outcome: 'created' | 'updated' | 'unchanged' }> {
  const document = JSON.stringify(ticket.document)
  let query = trx.selectFrom('tickets').selectAll().where('external_ref', '=', ticket.externalRef)
  if (dialect === 'postgres') query = query.forUpdate()
  const existing = await query.executeTakeFirst()
  const columns = {
    source: ticket.source,
    state: ticket.state,
    window_start: ticket.windowStart,
    window_end: ticket.windowEnd,
    document,
    updated_at: now,
  }
  if (existing === undefined) {
    const row = await trx
      .insertInto('tickets')
      .values({ external_ref: ticket.externalRef, created_at: now, ...columns })
      .returning('id')
      .executeTakeFirstOrThrow()
    const id = Number(row.id)
    await raiseRevision(trx, 'tickets')
    await appendAudit(
      trx,
      dialect,
      {
        actor,
        action: 'ticket.create',
        subject: {
          ticket: id,
          ref: ticket.externalRef,
          source: ticket.source,
          state: ticket.state,
        },
      },
      now,
    )
    return { id, outcome: 'created' }
  }
  const id = Number(existing.id)
  const unchanged =
    existing.document === document &&
    existing.state === ticket.state &&
    existing.source === ticket.source &&
    existing.window_start === ticket.windowStart &&
    existing.window_end === ticket.windowEnd
  if (unchanged) return { id, outcome: 'unchanged' }
  await trx.updateTable('tickets').set(columns).where('id', '=', id).execute()
  await raiseRevision(trx, 'tickets')
  await appendAudit(
    trx,
    dialect,
    {
      actor,
      action: 'ticket.update',
      subject: {
        ticket: id,
        ref: ticket.externalRef,
        source: ticket.source,
        state: ticket.state,
        previousState: existing.state,
      },
    },
    now,
  )
  return { id, outcome: 'updated' }
}

export async function listTickets(
  db: Kysely<FleetDatabase>,
  filter: { states?: readonly string[]; openAt?: string },
): Promise<StoredTicket[]> {
  let query = db.selectFrom('tickets').selectAll().orderBy('id')
  if (filter.states !== undefined && filter.states.length > 0) {
    query = query.where('state', 'in', filter.states)
  }
  if (filter.openAt !== undefined) {
    const at = filter.openAt
    query = query.where((eb) => eb.or([eb('window_end', 'is', null), eb('window_end', '>=', at)]))
  }
  return (await query.execute()).map(toTicket)
}

export async function recordVerdicts(
  trx: Transaction<FleetDatabase>,
  dialect: FleetDialect,
  verdicts: readonly ChangeVerdict[],
  actor: string,
  now: string,
): Promise<{ changed: number; retroactive: readonly number[] }> {
  const before = new Map<number, string>()
  for (const batch of chunks(verdicts.map((verdict) => verdict.changeId))) {
    const rows = await trx
      .selectFrom('changes')
      .select(['id', 'verdict', 'ticket_id', 'verdict_reason'])
      .where('id', 'in', batch)
      .execute()
    for (const row of rows) {
      before.set(Number(row.id), `${row.verdict}|${row.ticket_id}|${row.verdict_reason}`)
    }
  }
  let changed = 0
  const retroactive: number[] = []
  for (const verdict of verdicts) {
    const key = `${verdict.verdict}|${verdict.ticketId}|${verdict.reason}`
    const was = before.get(verdict.changeId)
    if (was === undefined || was === key) continue
    await trx
      .updateTable('changes')
      .set({
        verdict: verdict.verdict,
        ticket_id: verdict.ticketId,
        verdict_reason: verdict.reason,
        reconciled_at: now,
      })
      .where('id', '=', verdict.changeId)
      .execute()
    changed += 1
    // Judged before without a ticket that authorized it (unauthorized, or pending approval).
    if (
      (was.startsWith('unauthorized|') || was.startsWith('pending|')) &&
      verdict.verdict === 'authorized'
    ) {
      retroactive.push(verdict.changeId)
    }
  }
  if (retroactive.length > 0) {
    await appendAudit(
      trx,
      dialect,
      {
        actor,
        action: 'change.reconciled-retroactively',
        subject: {
          changes: retroactive,
          tickets: [
            ...new Set(
              verdicts
                .filter((verdict) => retroactive.includes(verdict.changeId))
                .map((verdict) => verdict.ticketId),
            ),
          ],
        },
      },
      now,
    )
  }
  return { changed, retroactive }
}
