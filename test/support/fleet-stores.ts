// Every fleet-store test runs on both databases: a SQLite file in a temporary folder, and a
// schema of its own on the PostgreSQL server of the machine (DRIFTWATCH_TEST_POSTGRES, default
// postgres://postgres@127.0.0.1:5432/postgres), dropped when the test ends.
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import pg from 'pg'
import { openFleetStore } from '../../src/store/open-fleet-store.js'
import { type FleetStore } from '../../src/store/index.js'
import { tempDir } from './temp-tree.js'

export const POSTGRES_URL =
  process.env['DRIFTWATCH_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export type StoreKind = 'sqlite' | 'postgres'
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres']

/**
 * A fresh, empty database location of each kind: a file path, or a PostgreSQL database of its
 * own (a database, not a schema: PostgreSQL's catalogue queries, which Kysely's migrator runs,
 * fail while another process drops a schema in the same database).
 */
export async function freshDatabase(
  t: TestContext,
  kind: StoreKind,
): Promise<{ location: string; drop: () => Promise<void> }> {
  if (kind === 'sqlite') return { location: join(tempDir(t), 'console.db'), drop: async () => {} }
  const name = `dw_test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: POSTGRES_URL })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const drop = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: POSTGRES_URL })
    await client.connect()
    await client.query(`drop database if exists ${name} with (force)`)
    await client.end()
  }
  return { location: POSTGRES_URL.replace(/\/[^/]*$/, `/${name}`), drop }
}

export async function freshStore(t: TestContext, kind: StoreKind): Promise<FleetStore> {
  const database = await freshDatabase(t, kind)
  const store = await openFleetStore(database.location)
  // Closed before its database is dropped: a dropped database ends the pool's connections.
  t.after(async () => {
    await store.close()
    await database.drop()
  })
  return store
}
