// Migration 0004: maintenance windows (issue 6) — a period on some node groups, tied to a ticket,
// during which the ticket authorizes the changes its element patterns name there. Kept apart from
// the ticket's own row: ticket-system pollers rewrite that row whenever the ticket changes.
import type { Migration } from 'kysely'
import { idColumns, type AnyDb, type FleetDialect } from './migration-columns.js'

export function maintenanceWindowsMigration(dialect: FleetDialect): Migration {
  const { id, idType } = idColumns(dialect)
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('maintenance_windows')
        .addColumn('id', idType, id)
        .addColumn('ticket_id', idType, (c) => c.notNull().references('tickets.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        // JSON arrays: node selectors (`group:web`, `tag:…`, `name:…`) and element patterns.
        .addColumn('nodes', 'text', (c) => c.notNull())
        .addColumn('elements', 'text', (c) => c.notNull())
        .addColumn('starts_at', 'text', (c) => c.notNull())
        .addColumn('ends_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        // Set when someone ended the window before its end (ends_at is moved to that moment).
        .addColumn('ended_by', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('maintenance_windows_by_end')
        .on('maintenance_windows')
        .columns(['ends_at'])
        .execute()
    },
  }
}
