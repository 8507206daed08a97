// A console on PostgreSQL outlives the server ending its idle connections (a restart, an
// administrator's pg_terminate_backend): the pool opens new ones, and the process goes on.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import pg from 'pg'
import { openFleetStore } from '../src/store/open-fleet-store.js'
import { freshDatabase, POSTGRES_URL } from './support/fleet-stores.js'

test('idle connections ended by the server do not end the console', async (t) => {
  const database = await freshDatabase(t, 'postgres')
  const store = await openFleetStore(database.location)
  t.after(async () => {
    await store.close()
    await database.drop()
  })
  await store.listNodes({})
  const name = new URL(database.location).pathname.slice(1)
  const admin = new pg.Client({ connectionString: POSTGRES_URL })
  await admin.connect()
  const ended = await admin.query(
    'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [name],
  )
  await admin.end()
  assert.ok(ended.rowCount !== null && ended.rowCount > 0, 'the store held a connection')
  // The pool hears of it on its idle client; an unheard 'error' would end this process here.
  await new Promise((resolve) => setTimeout(resolve, 200))
  assert.deepEqual(await store.listNodes({}), [])
})
