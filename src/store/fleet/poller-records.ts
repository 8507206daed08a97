// Where each ticket-system poller stands: its cursor, how its polls went, and its lease. The
// lease is taken with one conditional UPDATE, so two consoles on one PostgreSQL cannot both win.
import type { Kysely, Selectable, Transaction } from 'kysely'
import type { PollerStatus, PollToSave } from '../fleet-store.js'
import type { FleetDatabase } from './fleet-database.js'

export interface PollerCursorsTable {
  name: string
  endpoint: string
  cursor: string | null
  last_poll_at: string | null
  last_success_at: string | null
  last_error: string | null
  last_error_at: string | null
  failures: number
  tickets_read: number
  /** JSON array of strings. */
  problems: string
  next_poll_at: string | null
  leased_by: string | null
  leased_until: string | null
}

type PollerDatabase = FleetDatabase & { poller_cursors: PollerCursorsTable }

/** Enough to see a pattern (one bad field on every ticket) without the row growing without end. */
const PROBLEMS_KEPT = 50

// The table is this file's alone: its type stays beside the queries that use it.
function withPollers(db: Kysely<FleetDatabase>): Kysely<PollerDatabase> {
  return db.withTables<{ poller_cursors: PollerCursorsTable }>()
}

function toStatus(row: Selectable<PollerCursorsTable>): PollerStatus {
  return {
    name: row.name,
    endpoint: row.endpoint,
    cursor: row.cursor,
    lastPollAt: row.last_poll_at,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at,
    failures: Number(row.failures),
    ticketsRead: Number(row.tickets_read),
    problems: JSON.parse(row.problems) as string[],
    nextPollAt: row.next_poll_at,
    leasedBy: row.leased_by,
    leasedUntil: row.leased_until,
  }
}

export async function pollerCursor(
  db: Kysely<FleetDatabase>,
  name: string,
): Promise<PollerStatus | undefined> {
  const row = await withPollers(db)
    .selectFrom('poller_cursors')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirst()
  return row === undefined ? undefined : toStatus(row)
}

export async function pollerStatuses(db: Kysely<FleetDatabase>): Promise<PollerStatus[]> {
  const rows = await withPollers(db)
    .selectFrom('poller_cursors')
    .selectAll()
    .orderBy('name')
    .execute()
  return rows.map(toStatus)
}

export async function leasePoller(
  db: Kysely<FleetDatabase>,
  lease: { name: string; endpoint: string; holder: string; now: string; until: string },
): Promise<boolean> {
  const pollers = withPollers(db)
  await pollers
    .insertInto('poller_cursors')
    .values({
      name: lease.name,
      endpoint: lease.endpoint,
      failures: 0,
      tickets_read: 0,
      problems: '[]',
    })
    .onConflict((conflict) => conflict.column('name').doNothing())
    .execute()
  const taken = await pollers
    .updateTable('poller_cursors')
    .set({ leased_by: lease.holder, leased_until: lease.until })
    .where('name', '=', lease.name)
    .where((eb) =>
      eb.or([
        eb('leased_until', 'is', null),
        eb('leased_until', '<', lease.now),
        eb('leased_by', '=', lease.holder),
      ]),
    )
    .executeTakeFirst()
  return Number(taken.numUpdatedRows) > 0
}

export async function savePollerCursor(
  trx: Transaction<FleetDatabase>,
  name: string,
  cursor: string | null,
  status: PollToSave,
): Promise<boolean> {
  const pollers = withPollers(trx)
  const row = await pollers
    .selectFrom('poller_cursors')
    .select(['failures', 'leased_by'])
    .where('name', '=', name)
    .executeTakeFirst()
  if (row?.leased_by !== status.holder) return false
  const common = {
    endpoint: status.endpoint,
    last_poll_at: status.at,
    next_poll_at: status.nextPollAt,
    leased_until: status.leasedUntil,
  }
  const columns = status.ok
    ? {
        ...common,
        cursor,
        last_success_at: status.at,
        failures: 0,
        tickets_read: status.ticketsRead,
        problems: JSON.stringify(status.problems.slice(-PROBLEMS_KEPT)),
      }
    : {
        ...common,
        last_error: status.error,
        last_error_at: status.at,
        failures: Number(row.failures) + 1,
      }
  const saved = await pollers
    .updateTable('poller_cursors')
    .set(columns)
    .where('name', '=', name)
    .where('leased_by', '=', status.holder)
    .executeTakeFirst()
  return Number(saved.numUpdatedRows) > 0
}

export async function releasePoller(
  db: Kysely<FleetDatabase>,
  name: string,
  holder: string,
): Promise<void> {
  await withPollers(db)
    .updateTable('poller_cursors')
    .set({ leased_by: null, leased_until: null })
    .where('name', '=', name)
    .where('leased_by', '=', holder)
    .execute()
}
