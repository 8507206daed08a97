// The console's schema as Kysely migrations, one list for SQLite and PostgreSQL. A migration is
// never edited once released: add the next one. Only the generated id column differs by dialect.
import { sql, type Migration } from 'kysely'
import { idColumns, type AnyDb, type FleetDialect } from './migration-columns.js'
import { hypervisorsMigration } from './hypervisors-migration.js'
import { maintenanceWindowsMigration } from './maintenance-windows-migration.js'
import { pollerCursorsMigration } from './poller-cursors-migration.js'
import { revisionsMigration } from './revisions-migration.js'
import { ticketsMigration } from './tickets-migration.js'

export type { FleetDialect } from './migration-columns.js'

function fleetMigrations(dialect: FleetDialect): Record<string, Migration> {
  const { id, idType } = idColumns(dialect)
  return {
    '0001-fleet': {
      async up(db: AnyDb): Promise<void> {
        await db.schema
          .createTable('nodes')
          .addColumn('id', idType, id)
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('identity', 'text', (c) => c.notNull())
          .addColumn('credential_hash', 'text', (c) => c.unique())
          .addColumn('enrolled_at', 'text', (c) => c.notNull())
          .addColumn('last_seen_at', 'text')
          .addColumn('last_sequence', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('baseline_at', 'text')
          .addColumn('duplicate_of', idType)
          .addColumn('evaluated_snapshot', idType)
          .execute()
        await db.schema.createIndex('nodes_by_name').on('nodes').column('name').execute()
        await db.schema
          .createTable('snapshots')
          .addColumn('id', idType, id)
          .addColumn('node_id', idType, (c) => c.notNull().references('nodes.id'))
          .addColumn('uuid', 'text', (c) => c.notNull())
          .addColumn('sequence', 'bigint', (c) => c.notNull())
          .addColumn('base_sequence', 'bigint')
          .addColumn('taken_at', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('element_count', 'integer', (c) => c.notNull())
          .addColumn('change_count', 'integer', (c) => c.notNull())
          .addColumn('not_checked', 'text', (c) => c.notNull())
          .addUniqueConstraint('snapshots_node_uuid', ['node_id', 'uuid'])
          .addUniqueConstraint('snapshots_node_sequence', ['node_id', 'sequence'])
          .execute()
        await db.schema
          .createTable('element_keys')
          .addColumn('id', idType, id)
          .addColumn('key', 'text', (c) => c.notNull().unique())
          .execute()
        await db.schema
          .createTable('element_states')
          .addColumn('id', idType, id)
          .addColumn('digest', 'text', (c) => c.notNull().unique())
          .addColumn('attributes', 'text', (c) => c.notNull())
          .addColumn('content_sha256', 'text')
          .addColumn('unverified', 'text')
          .execute()
        await db.schema
          .createTable('contents')
          .addColumn('sha256', 'text', (c) => c.primaryKey())
          .addColumn('body', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('element_versions')
          .addColumn('node_id', idType, (c) => c.notNull())
          .addColumn('key_id', idType, (c) => c.notNull())
          .addColumn('state_id', idType, (c) => c.notNull())
          .addColumn('from_snapshot', idType, (c) => c.notNull())
          .addColumn('to_snapshot', idType)
          .addPrimaryKeyConstraint('element_versions_pk', ['node_id', 'key_id', 'from_snapshot'])
          // The primary key is the table: no second copy of every version row in SQLite.
          .$call((table) => (dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table))
          .execute()
        // What a node has now: the versions not yet superseded, with their states, so reading a
        // node's elements needs the index alone.
        await db.schema
          .createIndex('element_versions_current')
          .on('element_versions')
          .columns(['node_id', 'key_id', 'state_id'])
          .where(sql.ref('to_snapshot'), 'is', null)
          .execute()
        await db.schema
          .createTable('baseline_deviations')
          .addColumn('node_id', idType, (c) => c.notNull())
          .addColumn('key_id', idType, (c) => c.notNull())
          .addColumn('baseline_state', idType)
          .addPrimaryKeyConstraint('baseline_deviations_pk', ['node_id', 'key_id'])
          .$call((table) => (dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table))
          .execute()
        await db.schema
          .createTable('changes')
          .addColumn('id', idType, id)
          .addColumn('node_id', idType, (c) => c.notNull())
          .addColumn('key_id', idType, (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('before_state', idType)
          .addColumn('after_state', idType)
          .addColumn('snapshot_id', idType, (c) => c.notNull())
          .addColumn('previous_snapshot_id', idType, (c) => c.notNull())
          .addColumn('detected_at', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('resolved_at', 'text')
          .addColumn('resolved_by', 'text')
          .addColumn('resolution_reason', 'text')
          .execute()
        await db.schema
          .createIndex('changes_by_node')
          .on('changes')
          .columns(['node_id', 'status', 'key_id'])
          .execute()
        await db.schema.createIndex('changes_by_time').on('changes').column('detected_at').execute()
        await db.schema
          .createTable('results')
          .addColumn('node_id', idType, (c) => c.notNull())
          .addColumn('policy', 'text', (c) => c.notNull())
          .addColumn('test', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('result', 'text', (c) => c.notNull())
          .addColumn('result_digest', 'text', (c) => c.notNull())
          .addColumn('first_failed', 'text')
          .addColumn('snapshot_id', idType, (c) => c.notNull())
          .addPrimaryKeyConstraint('results_pk', ['node_id', 'policy', 'test'])
          .execute()
        await db.schema
          .createTable('enrollment_tokens')
          .addColumn('id', idType, id)
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('reusable', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('used_at', 'text')
          .addColumn('node_id', idType)
          .execute()
        await db.schema
          .createTable('users')
          .addColumn('id', idType, id)
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', idType, (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('api_tokens')
          .addColumn('id', idType, id)
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('user_id', idType, (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('last_used_at', 'text')
          .execute()
        await db.schema
          .createTable('waivers')
          .addColumn('id', idType, id)
          .addColumn('waiver', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute()
        await db.schema
          .createTable('audit_log')
          .addColumn('id', idType, (c) => c.primaryKey())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('previous_hash', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute()
      },
    },
    '0002-tickets': ticketsMigration(dialect),
    '0003-poller-cursors': pollerCursorsMigration(),
    '0004-maintenance-windows': maintenanceWindowsMigration(dialect),
    '0005-hypervisors': hypervisorsMigration(dialect),
    '0006-revisions': revisionsMigration(),
  }
}

/** The migrations for one dialect, for Kysely's Migrator. */
export function fleetMigrationProvider(dialect: FleetDialect): {
  getMigrations(): Promise<Record<string, Migration>>
} {
  return { getMigrations: () => Promise.resolve(fleetMigrations(dialect)) }
}
