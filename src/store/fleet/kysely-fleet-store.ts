// The fleet store on Kysely: one implementation for SQLite and PostgreSQL. The adapters in
// store/sqlite and store/postgres only open the connection and say which dialect it is.
import { Migrator, sql, type Kysely } from 'kysely'
import type { Element } from '../../model/index.js'
import type {
  AuditEntry,
  AuditRecord,
  ChangeFilter,
  ChangeVerdict,
  ElementVersion,
  FleetStatistics,
  EnrollmentRequest,
  EnrollmentTokenInfo,
  FleetNode,
  FleetStore,
  IncomingSnapshot,
  HypervisorToAdd,
  IngestOutcome,
  MaintenanceWindowToSave,
  NodeFilter,
  PollerStatus,
  PollToSave,
  ResultToStore,
  StoredChange,
  StoredHypervisor,
  StoredMaintenanceWindow,
  StoredResult,
  StoredTicket,
  StoredWaiver,
  TicketToSave,
  User,
  VmSighting,
} from '../fleet-store.js'
import * as access from './access-records.js'
import { AuditedFleetWrites } from './audited-fleet-writes.js'
import { appendAudit, auditEntries, toAuditEntry } from './audit-records.js'
import * as changes from './change-records.js'
import { elementVersions, fleetStatistics } from './element-history.js'
import * as results_ from './result-records.js'
import * as tickets from './ticket-records.js'
import * as maintenance from './maintenance-window-records.js'
import * as hypervisors from './hypervisor-records.js'
import { revision } from './revision-records.js'
import { ElementInterner } from './element-interner.js'
import { ElementReader } from './element-reader.js'
import type { FleetDatabase } from './fleet-database.js'
import { fleetMigrationProvider, type FleetDialect } from './fleet-migrations.js'
import * as nodes from './node-records.js'
import * as pollers from './poller-records.js'
import { ingestSnapshot, type StoredTransitions } from './snapshot-ingest.js'

export class KyselyFleetStore extends AuditedFleetWrites implements FleetStore {
  private readonly interner = new ElementInterner()
  private readonly reader = new ElementReader()

  constructor(
    db: Kysely<FleetDatabase>,
    dialect: FleetDialect,
    private readonly measureBytes: () => Promise<number>,
    /** PostgreSQL: the schema the tables live in. */
    private readonly schema?: string,
  ) {
    super(db, dialect)
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({
      db: this.db,
      provider: fleetMigrationProvider(this.dialect),
      migrationTableName: 'fleet_migrations',
      migrationLockTableName: 'fleet_migration_lock',
      // Without a schema Kysely's migrator takes a migration table of any schema for its own.
      ...(this.schema === undefined ? {} : { migrationTableSchema: this.schema }),
    })
    const { error } = await migrator.migrateToLatest()
    if (error !== undefined) {
      throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`)
    }
  }

  close(): Promise<void> {
    return this.db.destroy()
  }

  storageBytes(): Promise<number> {
    return this.measureBytes()
  }

  statistics(): Promise<FleetStatistics> {
    return fleetStatistics(this.db)
  }

  enrollNode(request: EnrollmentRequest): Promise<FleetNode | undefined> {
    return this.transaction((trx) => nodes.enrollNode(trx, this.dialect, request))
  }

  nodeByCredential(credentialHash: string): Promise<FleetNode | undefined> {
    return nodes.nodeWhere(this.db, 'credential_hash', credentialHash)
  }

  node(id: number): Promise<FleetNode | undefined> {
    return nodes.nodeWhere(this.db, 'id', id)
  }

  listNodes(filter: NodeFilter): Promise<FleetNode[]> {
    return nodes.listNodes(this.db, filter)
  }

  listEnrollmentTokens(): Promise<EnrollmentTokenInfo[]> {
    return nodes.listEnrollmentTokens(this.db)
  }

  async ingestSnapshot(
    nodeId: number,
    snapshot: IncomingSnapshot,
    now: string,
  ): Promise<IngestOutcome> {
    const learning = this.interner.newLearning()
    let stored: StoredTransitions | undefined
    const outcome = await this.transaction((trx) =>
      ingestSnapshot(
        trx,
        this.interner,
        learning,
        this.dialect === 'postgres',
        nodeId,
        snapshot,
        now,
        (transitions) => (stored = transitions),
      ),
    )
    // Only once committed: a rolled-back snapshot must not move what memory holds.
    this.interner.remember(learning)
    if (stored !== undefined) {
      this.reader.advance(nodeId, stored.previousSnapshotId, outcome.snapshotId, stored.transitions)
    }
    return outcome
  }

  currentElements(
    nodeId: number,
    wanted?: (key: string) => boolean,
    asOfSnapshot?: number,
  ): Promise<Map<string, Element>> {
    return this.reader.current(this.db, nodeId, wanted, asOfSnapshot)
  }

  elementsPage(
    nodeId: number,
    options: { prefix: string; after: string; limit: number },
  ): Promise<Element[]> {
    return this.reader.page(this.db, nodeId, options)
  }

  elementVersions(nodeId: number, key: string): Promise<ElementVersion[]> {
    return elementVersions(this.db, nodeId, key)
  }

  async content(sha256: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('contents')
      .select('body')
      .where('sha256', '=', sha256)
      .executeTakeFirst()
    return row?.body
  }

  listChanges(filter: ChangeFilter): Promise<StoredChange[]> {
    return changes.listChanges(this.db, filter)
  }

  promote(input: {
    nodeId: number
    keys: readonly string[] | 'all'
    actor: string
    reason: string
    now: string
  }): Promise<{ promoted: readonly string[] }> {
    return this.transaction((trx) => changes.promote(trx, this.dialect, input))
  }

  recordResults(
    nodeId: number,
    snapshotId: number,
    results: readonly ResultToStore[],
    now: string,
  ): Promise<void> {
    return this.transaction((trx) => results_.recordResults(trx, nodeId, snapshotId, results, now))
  }

  async latestSnapshotId(nodeId: number): Promise<number | null> {
    const row = await this.db
      .selectFrom('snapshots')
      .select('id')
      .where('node_id', '=', nodeId)
      .orderBy('sequence', 'desc')
      .limit(1)
      .executeTakeFirst()
    return row === undefined ? null : Number(row.id)
  }

  firstFailures(nodeId: number): Promise<Map<string, string>> {
    return results_.firstFailures(this.db, nodeId)
  }

  listResults(filter: {
    nodeId?: number
    policy?: string
    test?: string
    status?: string
  }): Promise<StoredResult[]> {
    return results_.listResults(this.db, filter)
  }

  async evaluatedSnapshot(nodeId: number): Promise<number | null> {
    const row = await this.db
      .selectFrom('nodes')
      .select('evaluated_snapshot')
      .where('id', '=', nodeId)
      .executeTakeFirst()
    return row?.evaluated_snapshot == null ? null : Number(row.evaluated_snapshot)
  }

  async listWaivers(): Promise<StoredWaiver[]> {
    const rows = await this.db.selectFrom('waivers').selectAll().orderBy('id').execute()
    return rows.map((row) => ({
      id: Number(row.id),
      waiver: JSON.parse(row.waiver) as Record<string, unknown>,
      createdBy: row.created_by,
      createdAt: row.created_at,
    }))
  }

  userByName(name: string): Promise<User | undefined> {
    return access.userWhere(this.db, 'name', name)
  }

  userById(id: number): Promise<User | undefined> {
    return access.userWhere(this.db, 'id', id)
  }

  listUsers(): Promise<User[]> {
    return access.listUsers(this.db)
  }

  countUsers(): Promise<number> {
    return access.countUsers(this.db)
  }

  createSession(tokenHash: string, userId: number, now: string, expiresAt: string): Promise<void> {
    return access.createSession(this.db, { tokenHash, userId, now, expiresAt })
  }

  deleteSession(tokenHash: string): Promise<void> {
    return access.deleteSession(this.db, tokenHash)
  }

  sessionUser(tokenHash: string, now: string): Promise<User | undefined> {
    return access.sessionUser(this.db, tokenHash, now)
  }

  apiTokenUser(tokenHash: string, now: string): Promise<User | undefined> {
    return access.apiTokenUser(this.db, tokenHash, now)
  }

  listApiTokens(): ReturnType<FleetStore['listApiTokens']> {
    return access.listApiTokens(this.db)
  }

  saveTicket(
    ticket: TicketToSave,
    actor: string,
    now: string,
  ): Promise<{ id: number; outcome: 'created' | 'updated' | 'unchanged' }> {
    return this.transaction((trx) => tickets.saveTicket(trx, this.dialect, ticket, actor, now))
  }

  ticketsVersion(): Promise<string> {
    return revision(this.db, 'tickets')
  }

  createMaintenanceWindow(
    window: MaintenanceWindowToSave,
    actor: string,
    now: string,
  ): Promise<StoredMaintenanceWindow> {
    return this.transaction((trx) =>
      maintenance.createMaintenanceWindow(trx, this.dialect, window, actor, now),
    )
  }

  endMaintenanceWindow(
    id: number,
    actor: string,
    now: string,
  ): Promise<StoredMaintenanceWindow | undefined> {
    return this.transaction((trx) =>
      maintenance.endMaintenanceWindow(trx, this.dialect, id, actor, now),
    )
  }

  listMaintenanceWindows(filter: { openAt?: string }): Promise<StoredMaintenanceWindow[]> {
    return maintenance.listMaintenanceWindows(this.db, filter)
  }

  addHypervisor(
    hypervisor: HypervisorToAdd,
    actor: string,
    now: string,
  ): Promise<StoredHypervisor> {
    return this.transaction((trx) =>
      hypervisors.addHypervisor(trx, this.dialect, hypervisor, actor, now),
    )
  }

  removeHypervisor(id: number, actor: string, now: string): Promise<boolean> {
    return this.transaction((trx) =>
      hypervisors.removeHypervisor(trx, this.dialect, id, actor, now),
    )
  }

  listHypervisors(): Promise<StoredHypervisor[]> {
    return hypervisors.listHypervisors(this.db)
  }

  sightVms(
    parentId: number,
    sightings: readonly VmSighting[],
    now: string,
  ): Promise<{ node: FleetNode; created: boolean }[]> {
    return this.transaction((trx) =>
      hypervisors.sightVms(trx, this.dialect, parentId, sightings, now),
    )
  }

  annotateLifecycle(
    entries: readonly { changeId: number; verbs: readonly string[]; performedBy: string | null }[],
  ): Promise<void> {
    return this.transaction((trx) => hypervisors.annotateLifecycle(trx, entries))
  }

  listTickets(filter: { states?: readonly string[]; openAt?: string }): Promise<StoredTicket[]> {
    return tickets.listTickets(this.db, filter)
  }

  recordVerdicts(
    verdicts: readonly ChangeVerdict[],
    actor: string,
    now: string,
  ): Promise<{ changed: number; retroactive: readonly number[] }> {
    return this.transaction((trx) =>
      tickets.recordVerdicts(trx, this.dialect, verdicts, actor, now),
    )
  }

  audit(record: AuditRecord, now: string): Promise<AuditEntry> {
    return this.transaction((trx) => appendAudit(trx, this.dialect, record, now))
  }

  auditEntries(options: { afterId?: number; limit?: number }): Promise<AuditEntry[]> {
    return auditEntries(this.db, options)
  }

  async lastAuditOf(action: string): Promise<AuditEntry | undefined> {
    const row = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', action)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
    return row === undefined ? undefined : toAuditEntry(row)
  }

  pollerCursor(name: string): Promise<PollerStatus | undefined> {
    return pollers.pollerCursor(this.db, name)
  }

  leasePoller(lease: {
    name: string
    endpoint: string
    holder: string
    now: string
    until: string
  }): Promise<boolean> {
    return pollers.leasePoller(this.db, lease)
  }

  savePollerCursor(name: string, cursor: string | null, status: PollToSave): Promise<boolean> {
    return this.transaction((trx) => pollers.savePollerCursor(trx, name, cursor, status))
  }

  releasePoller(name: string, holder: string): Promise<void> {
    return pollers.releasePoller(this.db, name, holder)
  }

  pollerStatuses(): Promise<PollerStatus[]> {
    return pollers.pollerStatuses(this.db)
  }
}

/** For adapters: the size query of each dialect. */
export const SIZE_QUERIES = {
  sqlite: sql<{
    bytes: number
  }>`select page_count * page_size as bytes from pragma_page_count(), pragma_page_size()`,
  postgres: sql<{
    bytes: string
  }>`select sum(pg_total_relation_size(c.oid))::bigint as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and c.relkind in ('r', 'm')`,
}
