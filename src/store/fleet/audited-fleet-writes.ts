// The fleet store's writes that people make and the audit log records: tokens, users, waivers,
// node tags and retirement. Each runs in one transaction with its audit entry. The Kysely store
// extends this class; split from it only to keep each file to one concern and a readable size.
import type { Insertable, Kysely, Transaction } from 'kysely'
import type { AuditRecord, NodeIdentity, Role } from '../fleet-store.js'
import { appendAudit } from './audit-records.js'
import type { FleetDatabase } from './fleet-database.js'
import type { FleetDialect } from './fleet-migrations.js'

type AuditedTable = 'enrollment_tokens' | 'waivers' | 'users' | 'api_tokens'

export abstract class AuditedFleetWrites {
  constructor(
    protected readonly db: Kysely<FleetDatabase>,
    readonly dialect: FleetDialect,
  ) {}

  protected transaction<T>(work: (trx: Transaction<FleetDatabase>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work)
  }

  /** Inserts one row and records it in the audit log, in one transaction; returns its id. */
  protected insertAudited<Table extends AuditedTable>(
    table: Table,
    values: Insertable<FleetDatabase[Table]>,
    record: (id: number) => AuditRecord,
    now: string,
  ): Promise<number> {
    return this.audited(record, now, async (trx) => {
      // Kysely cannot follow a table name chosen by a type parameter: the four tables share
      // the one shape this needs (a generated integer id).
      const loose = trx as unknown as Transaction<Record<string, { id: number }>>
      const row = await loose
        .insertInto(table)
        .values(values as unknown as { id: number })
        .returning('id')
        .executeTakeFirstOrThrow()
      return Number(row.id)
    })
  }

  protected audited<T>(
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

  createEnrollmentToken(input: {
    tokenHash: string
    tags: readonly string[]
    reusable: boolean
    createdBy: string
    expiresAt: string
    now: string
  }): Promise<number> {
    return this.insertAudited(
      'enrollment_tokens',
      {
        token_hash: input.tokenHash,
        tags: JSON.stringify(input.tags),
        reusable: input.reusable ? 1 : 0,
        created_by: input.createdBy,
        created_at: input.now,
        expires_at: input.expiresAt,
        used_at: null,
        node_id: null,
      },
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
    )
  }

  addWaiver(
    waiver: Readonly<Record<string, unknown>>,
    actor: string,
    now: string,
  ): Promise<number> {
    return this.insertAudited(
      'waivers',
      { waiver: JSON.stringify(waiver), created_by: actor, created_at: now },
      (id) => ({ actor, action: 'waiver.create', subject: { waiver: id, ...waiver } }),
      now,
    )
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
    return this.insertAudited(
      'users',
      {
        name: input.name,
        password_hash: input.passwordHash,
        role: input.role,
        created_at: input.now,
      },
      (id) => ({
        actor: input.actor,
        action: 'user.create',
        subject: { user: id, name: input.name, role: input.role },
      }),
      input.now,
    )
  }

  createApiToken(input: {
    tokenHash: string
    userId: number
    name: string
    expiresAt: string | null
    actor: string
    now: string
  }): Promise<number> {
    return this.insertAudited(
      'api_tokens',
      {
        token_hash: input.tokenHash,
        user_id: input.userId,
        name: input.name,
        created_at: input.now,
        expires_at: input.expiresAt,
        last_used_at: null,
      },
      (id) => ({
        actor: input.actor,
        action: 'api-token.create',
        subject: { token: id, name: input.name, user: input.userId },
      }),
      input.now,
    )
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

  setNodeTags(id: number, tags: readonly string[], actor: string, now: string): Promise<boolean> {
    return this.audited(
      (found) => (found ? { actor, action: 'node.tags', subject: { node: id, tags } } : undefined),
      now,
      async (trx) => {
        const result = await trx
          .updateTable('nodes')
          .set({ tags: JSON.stringify(tags) })
          .where('id', '=', id)
          .executeTakeFirst()
        return Number(result.numUpdatedRows) > 0
      },
    )
  }

  async setPassword(
    userId: number,
    passwordHash: string,
    actor: string,
    now: string,
  ): Promise<void> {
    await this.audited(
      () => ({ actor, action: 'user.password', subject: { user: userId } }),
      now,
      async (trx) => {
        await trx
          .updateTable('users')
          .set({ password_hash: passwordHash })
          .where('id', '=', userId)
          .execute()
        // A new password ends the user's sessions: whoever held the old one is logged out.
        await trx.deleteFrom('sessions').where('user_id', '=', userId).execute()
      },
    )
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
}
