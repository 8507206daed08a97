// The fleet store on Kysely: one implementation for SQLite and PostgreSQL. The adapters in
// store/sqlite and store/postgres only open the connection and say which dialect it is.
import { createHash } from 'node:crypto'
import { Migrator, sql, type Insertable, type Kysely, type Transaction } from 'kysely'
import type { Element } from '../../model/index.js'
import type {
  AuditEntry,
  AuditRecord,
  ChangeFilter,
  ElementVersion,
  FleetStatistics,
  EnrollmentRequest,
  EnrollmentTokenInfo,
  FleetNode,
  FleetStore,
  IncomingSnapshot,
  IngestOutcome,
  NodeFilter,
  NodeIdentity,
  ResultToStore,
  Role,
  StoredChange,
  StoredResult,
  StoredWaiver,
  User,
} from '../fleet-store.js'
import * as access from './access-records.js'
import { appendAudit, auditEntries, toAuditEntry } from './audit-records.js'
import * as changes from './change-records.js'
import { ElementInterner } from './element-interner.js'
import { ElementReader } from './element-reader.js'
import type { FleetDatabase, ResultsTable } from './fleet-database.js'
import { fleetMigrationProvider, type FleetDialect } from './fleet-migrations.js'
import { enrollNode, toNode } from './node-records.js'
import { ingestSnapshot, type StoredTransitions } from './snapshot-ingest.js'

export class KyselyFleetStore implements FleetStore {
  private readonly interner = new ElementInterner()
  private readonly reader = new ElementReader()

  constructor(
    private readonly db: Kysely<FleetDatabase>,
    readonly dialect: FleetDialect,
    private readonly measureBytes: () => Promise<number>,
  ) {}

  async migrate(): Promise<void> {
    const migrator = new Migrator({
      db: this.db,
      provider: fleetMigrationProvider(this.dialect),
      migrationTableName: 'fleet_migrations',
      migrationLockTableName: 'fleet_migration_lock',
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

  async statistics(): Promise<FleetStatistics> {
    const count = async (table: keyof FleetDatabase): Promise<number> => {
      const row = await this.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('count'))
        .executeTakeFirstOrThrow()
      return Number(row.count)
    }
    return {
      nodes: await count('nodes'),
      snapshots: await count('snapshots'),
      elementKeys: await count('element_keys'),
      elementStates: await count('element_states'),
      elementVersions: await count('element_versions'),
      contents: await count('contents'),
      changes: await count('changes'),
    }
  }

  private transaction<T>(work: (trx: Transaction<FleetDatabase>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work)
  }

  private audited<T>(
    record: (result: T) => AuditRecord | undefined,
    now: string,
    work: (trx: Transaction<FleetDatabase>) => Promise<T>,
  ): Promise<T> {
    return this.transaction(async (trx) => {
      const result = await work(trx)
      const entry = record(result)
      if (entry !== undefined) await appendAudit(trx, this.dialect, entry, now)
      return result
    })
  }

  async createEnrollmentToken(input: {
    tokenHash: string
    tags: readonly string[]
    reusable: boolean
    createdBy: string
    expiresAt: string
    now: string
  }): Promise<number> {
    return this.audited(
      (id) => ({
        actor: input.createdBy,
        action: 'enrollment-token.create',
        subject: {
          token: id,
          tags: input.tags,
          reusable: input.reusable,
          expiresAt: input.expiresAt,
        },
      }),
      input.now,
      async (trx) => {
        const row = await trx
          .insertInto('enrollment_tokens')
          .values({
            token_hash: input.tokenHash,
            tags: JSON.stringify(input.tags),
            reusable: input.reusable ? 1 : 0,
            created_by: input.createdBy,
            created_at: input.now,
            expires_at: input.expiresAt,
            used_at: null,
            node_id: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        return Number(row.id)
      },
    )
  }

  enrollNode(request: EnrollmentRequest): Promise<FleetNode | undefined> {
    return this.transaction((trx) => enrollNode(trx, this.dialect, request))
  }

  async nodeByCredential(credentialHash: string): Promise<FleetNode | undefined> {
    const row = await this.db
      .selectFrom('nodes')
      .selectAll()
      .where('credential_hash', '=', credentialHash)
      .executeTakeFirst()
    return row === undefined ? undefined : toNode(row)
  }

  async node(id: number): Promise<FleetNode | undefined> {
    const row = await this.db
      .selectFrom('nodes')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? undefined : toNode(row)
  }

  async listNodes(filter: NodeFilter): Promise<FleetNode[]> {
    let query = this.db.selectFrom('nodes').selectAll().orderBy('id')
    if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind)
    if (filter.status !== undefined) query = query.where('status', '=', filter.status)
    if (filter.seenAfter !== undefined) query = query.where('last_seen_at', '>=', filter.seenAfter)
    if (filter.seenBefore !== undefined) {
      const before = filter.seenBefore
      query = query.where((eb) =>
        eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', before)]),
      )
    }
    const nodes = (await query.execute()).map(toNode)
    // Tags are a JSON array: filtered here, the same way in both databases.
    return filter.tag === undefined
      ? nodes
      : nodes.filter((node) => node.tags.includes(filter.tag as string))
  }

  retireNode(id: number, actor: string, now: string): Promise<boolean> {
    return this.audited(
      (retired) => (retired ? { actor, action: 'node.retire', subject: { node: id } } : undefined),
      now,
      async (trx) => {
        const result = await trx
          .updateTable('nodes')
          .set({ status: 'retired', credential_hash: null })
          .where('id', '=', id)
          .where('status', '!=', 'retired')
          .executeTakeFirst()
        return Number(result.numUpdatedRows) > 0
      },
    )
  }

  async listEnrollmentTokens(): Promise<EnrollmentTokenInfo[]> {
    const rows = await this.db.selectFrom('enrollment_tokens').selectAll().orderBy('id').execute()
    return rows.map((row) => ({
      id: Number(row.id),
      tags: JSON.parse(row.tags) as string[],
      reusable: row.reusable === 1,
      createdBy: row.created_by,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      usedAt: row.used_at,
      nodeId: row.node_id === null ? null : Number(row.node_id),
    }))
  }

  async reportIdentityConflict(nodeId: number, reported: NodeIdentity, now: string): Promise<void> {
    await this.audited(
      () => ({
        actor: `node:${nodeId}`,
        action: 'node.identity-conflict',
        subject: { node: nodeId, reported },
      }),
      now,
      () => Promise.resolve(undefined),
    )
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

  async elementVersions(nodeId: number, key: string): Promise<ElementVersion[]> {
    const rows = await this.db
      .selectFrom('element_versions as v')
      .innerJoin('element_keys as k', 'k.id', 'v.key_id')
      .innerJoin('element_states as s', 's.id', 'v.state_id')
      .innerJoin('snapshots as sn', 'sn.id', 'v.from_snapshot')
      .select([
        's.attributes',
        's.content_sha256',
        'v.from_snapshot',
        'v.to_snapshot',
        'sn.taken_at',
      ])
      .where('v.node_id', '=', nodeId)
      .where('k.key', '=', key)
      .orderBy('v.from_snapshot')
      .execute()
    return rows.map((row) => ({
      attributes: row.attributes,
      contentSha256: row.content_sha256,
      fromSnapshot: Number(row.from_snapshot),
      toSnapshot: row.to_snapshot === null ? null : Number(row.to_snapshot),
      seenAt: row.taken_at,
    }))
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

  async recordResults(
    nodeId: number,
    snapshotId: number,
    results: readonly ResultToStore[],
    now: string,
  ): Promise<void> {
    await this.transaction(async (trx) => {
      const earlier = await trx
        .selectFrom('results')
        .select(['policy', 'test', 'status', 'result_digest', 'first_failed'])
        .where('node_id', '=', nodeId)
        .execute()
      const stored = new Map(earlier.map((row) => [`${row.policy}/${row.test}`, row]))
      const inserts: Insertable<ResultsTable>[] = []
      // Only what changed is written: a rescan that changes no verdict writes no result row.
      for (const result of results) {
        const id = `${result.policy}/${result.test}`
        const before = stored.get(id)
        stored.delete(id)
        const text = JSON.stringify(result.detail)
        const digest = createHash('sha256').update(text).digest('base64url')
        const firstFailed = result.status === 'fail' ? (before?.first_failed ?? now) : null
        if (
          before !== undefined &&
          before.status === result.status &&
          before.result_digest === digest
        ) {
          continue
        }
        const row = {
          node_id: nodeId,
          policy: result.policy,
          test: result.test,
          status: result.status,
          severity: result.severity,
          result: text,
          result_digest: digest,
          first_failed: firstFailed,
          snapshot_id: snapshotId,
        }
        if (before === undefined) inserts.push(row)
        else {
          await trx
            .updateTable('results')
            .set(row)
            .where('node_id', '=', nodeId)
            .where('policy', '=', result.policy)
            .where('test', '=', result.test)
            .execute()
        }
      }
      for (const gone of stored.values()) {
        await trx
          .deleteFrom('results')
          .where('node_id', '=', nodeId)
          .where('policy', '=', gone.policy)
          .where('test', '=', gone.test)
          .execute()
      }
      for (let index = 0; index < inserts.length; index += 200) {
        await trx
          .insertInto('results')
          .values(inserts.slice(index, index + 200))
          .execute()
      }
      await trx
        .updateTable('nodes')
        .set({ evaluated_snapshot: snapshotId })
        .where('id', '=', nodeId)
        .execute()
    })
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

  async firstFailures(nodeId: number): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('results')
      .select(['policy', 'test', 'first_failed'])
      .where('node_id', '=', nodeId)
      .where('first_failed', 'is not', null)
      .execute()
    return new Map(rows.map((row) => [`${row.policy}/${row.test}`, row.first_failed as string]))
  }

  async listResults(filter: {
    nodeId?: number
    policy?: string
    test?: string
    status?: string
  }): Promise<StoredResult[]> {
    let query = this.db
      .selectFrom('results')
      .selectAll()
      .orderBy('node_id')
      .orderBy('policy')
      .orderBy('test')
    if (filter.nodeId !== undefined) query = query.where('node_id', '=', filter.nodeId)
    if (filter.policy !== undefined) query = query.where('policy', '=', filter.policy)
    if (filter.test !== undefined) query = query.where('test', '=', filter.test)
    if (filter.status !== undefined) query = query.where('status', '=', filter.status)
    return (await query.execute()).map((row) => ({
      nodeId: Number(row.node_id),
      policy: row.policy,
      test: row.test,
      status: row.status,
      severity: row.severity,
      firstFailed: row.first_failed,
      snapshotId: Number(row.snapshot_id),
      detail: JSON.parse(row.result) as Record<string, unknown>,
    }))
  }

  async evaluatedSnapshot(nodeId: number): Promise<number | null> {
    const row = await this.db
      .selectFrom('nodes')
      .select('evaluated_snapshot')
      .where('id', '=', nodeId)
      .executeTakeFirst()
    return row?.evaluated_snapshot == null ? null : Number(row.evaluated_snapshot)
  }

  addWaiver(
    waiver: Readonly<Record<string, unknown>>,
    actor: string,
    now: string,
  ): Promise<number> {
    return this.audited(
      (id) => ({ actor, action: 'waiver.create', subject: { waiver: id, ...waiver } }),
      now,
      async (trx) => {
        const row = await trx
          .insertInto('waivers')
          .values({ waiver: JSON.stringify(waiver), created_by: actor, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow()
        return Number(row.id)
      },
    )
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

  deleteWaiver(id: number, actor: string, now: string): Promise<boolean> {
    return this.audited(
      (deleted) =>
        deleted ? { actor, action: 'waiver.delete', subject: { waiver: id } } : undefined,
      now,
      async (trx) => {
        const result = await trx.deleteFrom('waivers').where('id', '=', id).executeTakeFirst()
        return Number(result.numDeletedRows) > 0
      },
    )
  }

  createUser(input: {
    name: string
    passwordHash: string
    role: Role
    actor: string
    now: string
  }): Promise<number> {
    return this.audited(
      (id) => ({
        actor: input.actor,
        action: 'user.create',
        subject: { user: id, name: input.name, role: input.role },
      }),
      input.now,
      async (trx) => {
        const row = await trx
          .insertInto('users')
          .values({
            name: input.name,
            password_hash: input.passwordHash,
            role: input.role,
            created_at: input.now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        return Number(row.id)
      },
    )
  }

  async userByName(name: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst()
    return row === undefined ? undefined : access.toUser(row)
  }

  async userById(id: number): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? undefined : access.toUser(row)
  }

  async listUsers(): Promise<User[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('id').execute()).map(
      access.toUser,
    )
  }

  async countUsers(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow()
    return Number(row.count)
  }

  async createSession(
    tokenHash: string,
    userId: number,
    now: string,
    expiresAt: string,
  ): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({ token_hash: tokenHash, user_id: userId, created_at: now, expires_at: expiresAt })
      .execute()
  }

  sessionUser(tokenHash: string, now: string): Promise<User | undefined> {
    return access.sessionUser(this.db, tokenHash, now)
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute()
  }

  createApiToken(input: {
    tokenHash: string
    userId: number
    name: string
    expiresAt: string | null
    actor: string
    now: string
  }): Promise<number> {
    return this.audited(
      (id) => ({
        actor: input.actor,
        action: 'api-token.create',
        subject: { token: id, name: input.name, user: input.userId },
      }),
      input.now,
      async (trx) => {
        const row = await trx
          .insertInto('api_tokens')
          .values({
            token_hash: input.tokenHash,
            user_id: input.userId,
            name: input.name,
            created_at: input.now,
            expires_at: input.expiresAt,
            last_used_at: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        return Number(row.id)
      },
    )
  }

  apiTokenUser(tokenHash: string, now: string): Promise<User | undefined> {
    return access.apiTokenUser(this.db, tokenHash, now)
  }

  listApiTokens(): ReturnType<FleetStore['listApiTokens']> {
    return access.listApiTokens(this.db)
  }

  revokeApiToken(id: number, actor: string, now: string): Promise<boolean> {
    return this.audited(
      (revoked) =>
        revoked ? { actor, action: 'api-token.revoke', subject: { token: id } } : undefined,
      now,
      async (trx) => {
        const result = await trx.deleteFrom('api_tokens').where('id', '=', id).executeTakeFirst()
        return Number(result.numDeletedRows) > 0
      },
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
