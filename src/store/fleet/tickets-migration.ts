// Migration 0002: change tickets, and each change's reconciliation verdict (issue 6). A ticket is
// kept whole as JSON (its scope and source fields evolve with the ticket systems it comes from),
// with the columns queries filter on beside it.
import { sql, type Migration } from 'kysely'
import { idColumns, type AnyDb, type FleetDialect } from './migration-columns.js'

export function ticketsMigration(dialect: FleetDialect): Migration {
  const { id, idType } = idColumns(dialect)
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('tickets')
        .addColumn('id', idType, id)
        .addColumn('external_ref', 'text', (c) => c.notNull().unique())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('window_start', 'text')
        .addColumn('window_end', 'text')
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('tickets_by_window')
        .on('tickets')
        .columns(['state', 'window_end'])
        .execute()
      for (const [name, type] of [
        ['verdict', 'text'],
        ['ticket_id', idType],
        ['verdict_reason', 'text'],
        ['reconciled_at', 'text'],
      ] as const) {
        await db.schema.alterTable('changes').addColumn(name, type).execute()
      }
      await db.schema
        .createIndex('changes_by_verdict')
        .on('changes')
        .columns(['verdict', 'detected_at'])
        .where(sql.ref('verdict'), 'is not', null)
        .execute()
    },
  }
}
