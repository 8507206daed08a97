// Who may use the console: users (argon2 hashes, never passwords), their sessions and API tokens.
// Only hashes of session and API tokens are stored, so a copy of the database opens no doors.
import type { Kysely, Selectable } from 'kysely'
import type { Role, User } from '../fleet-store.js'
import type { FleetDatabase, UsersTable } from './fleet-database.js'

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: Number(row.id),
    name: row.name,
    role: row.role as Role,
    passwordHash: row.password_hash,
  }
}

export async function sessionUser(
  db: Kysely<FleetDatabase>,
  tokenHash: string,
  now: string,
): Promise<User | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .executeTakeFirst()
  return row === undefined ? undefined : toUser(row)
}

export async function apiTokenUser(
  db: Kysely<FleetDatabase>,
  tokenHash: string,
  now: string,
): Promise<User | undefined> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .selectAll('u')
    .select('t.id as token_id')
    .where('t.token_hash', '=', tokenHash)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', now)]))
    .executeTakeFirst()
  if (row === undefined) return undefined
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: now })
    .where('id', '=', row.token_id)
    .execute()
  return toUser(row)
}

export async function listApiTokens(db: Kysely<FleetDatabase>): Promise<
  {
    id: number
    name: string
    user: string
    createdAt: string
    expiresAt: string | null
    lastUsedAt: string | null
  }[]
> {
  const rows = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.name', 'u.name as user', 't.created_at', 't.expires_at', 't.last_used_at'])
    .orderBy('t.id')
    .execute()
  return rows.map((row) => ({
    id: Number(row.id),
    name: row.name,
    user: row.user,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
  }))
}

export async function userWhere(
  db: Kysely<FleetDatabase>,
  column: 'id' | 'name',
  value: number | string,
): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where(column, '=', value).executeTakeFirst()
  return row === undefined ? undefined : toUser(row)
}

export async function listUsers(db: Kysely<FleetDatabase>): Promise<User[]> {
  return (await db.selectFrom('users').selectAll().orderBy('id').execute()).map(toUser)
}

export async function countUsers(db: Kysely<FleetDatabase>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll().as('count'))
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

export async function createSession(
  db: Kysely<FleetDatabase>,
  session: { tokenHash: string; userId: number; now: string; expiresAt: string },
): Promise<void> {
  // Expired sessions go when a new one is made: the table holds only sessions that can be used.
  await db.deleteFrom('sessions').where('expires_at', '<=', session.now).execute()
  await db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      created_at: session.now,
      expires_at: session.expiresAt,
    })
    .execute()
}

export async function deleteSession(db: Kysely<FleetDatabase>, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute()
}
