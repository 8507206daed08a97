// Appending to the hash-chained audit log inside the caller's transaction, so an action and its
// record commit together. Appends are serialized (PostgreSQL: an advisory lock; SQLite has one
// writer), so two consoles never chain two entries to the same predecessor.
import { sql, type Kysely, type Transaction } from 'kysely'
import { AUDIT_GENESIS, auditHash } from '../../model/index.js'
import type { AuditEntry, AuditRecord } from '../fleet-store.js'
import type { AuditLogTable, FleetDatabase } from './fleet-database.js'
import type { FleetDialect } from './fleet-migrations.js'

/** Any number: the key of the advisory lock that serializes audit appends on PostgreSQL. */
const AUDIT_LOCK = 7_340_412

export async function appendAudit(
  trx: Transaction<FleetDatabase>,
  dialect: FleetDialect,
  record: AuditRecord,
  now: string,
): Promise<AuditEntry> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx)
  const last = await trx
    .selectFrom('audit_log')
    .select(['id', 'hash'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  const fields = {
    id: last === undefined ? 1 : Number(last.id) + 1,
    at: now,
    actor: record.actor,
    action: record.action,
    subject: JSON.stringify(record.subject),
    previousHash: last?.hash ?? AUDIT_GENESIS,
  }
  const hash = auditHash(fields)
  await trx
    .insertInto('audit_log')
    .values({
      id: fields.id,
      at: fields.at,
      actor: fields.actor,
      action: fields.action,
      subject: fields.subject,
      previous_hash: fields.previousHash,
      hash,
    })
    .execute()
  return { ...fields, subject: record.subject, hash }
}

export function toAuditEntry(row: AuditLogTable): AuditEntry & { readonly subjectText: string } {
  return {
    id: Number(row.id),
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: JSON.parse(row.subject) as Record<string, unknown>,
    subjectText: row.subject,
    previousHash: row.previous_hash,
    hash: row.hash,
  }
}

export async function auditEntries(
  db: Kysely<FleetDatabase>,
  options: { afterId?: number; limit?: number },
): Promise<(AuditEntry & { readonly subjectText: string })[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id')
  if (options.afterId !== undefined) query = query.where('id', '>', options.afterId)
  if (options.limit !== undefined) query = query.limit(options.limit)
  return (await query.execute()).map(toAuditEntry)
}
