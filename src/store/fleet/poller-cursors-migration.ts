// Migration 0003: where each ticket-system poller stands (issue 6) — its cursor, how its last poll
// went, and which console holds it, so a restarted console, or a second one on the same
// PostgreSQL, goes on from the stored cursor and only one console polls a source at a time.
import type { Migration } from 'kysely'
import type { AnyDb } from './migration-columns.js'

export function pollerCursorsMigration(): Migration {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('poller_cursors')
        // `servicenow`, `jira`: one row per source a console file names.
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('endpoint', 'text', (c) => c.notNull())
        .addColumn('cursor', 'text')
        .addColumn('last_poll_at', 'text')
        .addColumn('last_success_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('last_error_at', 'text')
        .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('tickets_read', 'integer', (c) => c.notNull().defaultTo(0))
        // JSON array of the newest lines about tickets that could not be read.
        .addColumn('problems', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('next_poll_at', 'text')
        .addColumn('leased_by', 'text')
        .addColumn('leased_until', 'text')
        .execute()
    },
  }
}
