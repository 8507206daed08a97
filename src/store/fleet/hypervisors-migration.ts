// Migration 0005: hypervisors collected by the console (issue 7). A hypervisor is a node of kind
// `hypervisor`; each VM it reports is a node of kind `vm` whose `parent_id` is the hypervisor's
// node. A change on a VM node carries the lifecycle verbs the hypervisor's view gave it
// (created, started …) and, where the hypervisor names one, who did it.
import { sql, type Migration } from 'kysely'
import { idColumns, type AnyDb, type FleetDialect } from './migration-columns.js'

export function hypervisorsMigration(dialect: FleetDialect): Migration {
  const { id, idType } = idColumns(dialect)
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .createTable('hypervisors')
        .addColumn('id', idType, id)
        .addColumn('node_id', idType, (c) => c.notNull().references('nodes.id'))
        // `libvirt:qemu:///system`, `vsphere:https://vcenter/sdk` — never with a password.
        .addColumn('spec', 'text', (c) => c.notNull())
        .addColumn('interval_seconds', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('removed_at', 'text')
        .execute()
      // Unique among the hypervisors collected: a removed one may be added again.
      await db.schema
        .createIndex('hypervisors_collected_spec')
        .on('hypervisors')
        .column('spec')
        .unique()
        .where(sql.ref('removed_at'), 'is', null)
        .execute()
      await db.schema.alterTable('nodes').addColumn('parent_id', idType).execute()
      await db.schema.createIndex('nodes_by_parent').on('nodes').columns(['parent_id']).execute()
      await db.schema.alterTable('changes').addColumn('lifecycle', 'text').execute()
      await db.schema.alterTable('changes').addColumn('performed_by', 'text').execute()
    },
  }
}
