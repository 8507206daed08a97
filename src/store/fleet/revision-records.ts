// Revision counters (migration 0006): raised by each write to what consoles cache, read to know
// whether a cache is still good.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { FleetDatabase } from './fleet-database.js'

/** `tickets`: change tickets and maintenance windows, which make the ticket index. */
export type RevisionName = 'tickets'

export async function raiseRevision(
  trx: Transaction<FleetDatabase>,
  name: RevisionName,
): Promise<void> {
  await trx
    .updateTable('revisions')
    .set({ value: sql<number>`value + 1` })
    .where('name', '=', name)
    .execute()
}

export async function revision(db: Kysely<FleetDatabase>, name: RevisionName): Promise<string> {
  const row = await db
    .selectFrom('revisions')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirst()
  return String(row?.value ?? 0)
}
