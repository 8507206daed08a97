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

/** A fresh, empty database location of each kind: a file path, or a URL plus a schema. */
export function freshDatabase(
  t: TestContext,
  kind: StoreKind,
): { location: string; schema?: string } {
  if (kind === 'sqlite') return { location: join(tempDir(t), 'console.db') }
  const schema = `dw_test_${randomBytes(6).toString('hex')}`
  t.after(async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL })
    await client.connect()
    await client.query(`drop schema if exists ${schema} cascade`)
    await client.end()
  })
  return { location: POSTGRES_URL, schema }
}

export async function freshStore(t: TestContext, kind: StoreKind): Promise<FleetStore> {
  const database = freshDatabase(t, kind)
  const store = await openFleetStore(database.location, { schema: database.schema })
  t.after(() => store.close())
  return store
}
