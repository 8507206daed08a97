// A database made by an older driftwatch is brought up to date when opened; a newer one is refused.
import assert from 'node:assert/strict'
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { test } from 'node:test'
import { SqliteLocalStore } from '../src/store/index.js'
import { MIGRATIONS, SCHEMA_VERSION } from '../src/store/sqlite/schema.js'
import { tempDir } from './support/temp-tree.js'

test('a version-1 database gains the later tables when opened, and keeps its data', (t) => {
  const file = join(tempDir(t), 'old.db')
  const old = new Database(file)
  old.exec(MIGRATIONS[0] as string)
  old.prepare(`INSERT INTO meta (name, value) VALUES ('schema_version', '1')`).run()
  old
    .prepare(
      `INSERT INTO checks (started_at, finished_at, baseline_version, target, summary, scanned, not_checked, change_count) VALUES ('a', 'b', 1, 't', '{}', '{}', '[]', 0)`,
    )
    .run()
  old.close()

  const store = SqliteLocalStore.open(file, { create: false })
  store.recordFailures('web-01', ['p/t'], '2026-01-01T00:00:00.000Z')
  assert.deepEqual([...store.firstFailures('web-01')], [['p/t', '2026-01-01T00:00:00.000Z']])
  store.close()
  const reopened = new Database(file, { readonly: true })
  assert.equal(
    reopened.prepare(`SELECT value FROM meta WHERE name = 'schema_version'`).pluck().get(),
    String(SCHEMA_VERSION),
  )
  assert.equal(reopened.prepare('SELECT count(*) FROM checks').pluck().get(), 1, 'nothing lost')
  reopened.close()
})

test('a database from a newer driftwatch is refused, not guessed at', (t) => {
  const file = join(tempDir(t), 'new.db')
  const newer = new Database(file)
  newer.exec(
    `CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '99')`,
  )
  newer.close()
  assert.throws(
    () => SqliteLocalStore.open(file, { create: false }),
    /schema version 99; this driftwatch reads versions 1 to \d+/,
  )
})
