// Migration 0006: revision counters. What a console caches from the database (its ticket index)
// is keyed by a counter that every write to it raises in the same transaction, so another
// console's write is never missed — a count and a newest time could stay equal across two writes
// in one millisecond.
import type { Migration } from 'kysely'
import type { AnyDb } from './migration-columns.js'

export function revisionsMigration(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('revisions')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'integer', (c) => c.notNull())
        .execute()
      await db.insertInto('revisions').values({ name: 'tickets', value: 0 }).execute()
    },
  }
}
