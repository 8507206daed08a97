// accept promotes what the last check observed — all of it or named elements — re-signs the
// baseline and records who and why; history lists checks and acceptances.
import assert from 'node:assert/strict'
import Database from 'better-sqlite3'
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { checkJson, driftwatch } from './support/run-cli.js'
import { tempDir } from './support/temp-tree.js'

test('accepting named changes promotes only those; the rest stay reported', async (t) => {
  const work = tempDir(t)
  const root = join(work, 'root')
  mkdirSync(join(root, 'etc'), { recursive: true })
  writeFileSync(join(root, 'etc/motd'), 'welcome\n')
  writeFileSync(join(root, 'etc/issue'), 'Debian\n')
  const db = join(work, 'fim.db')
  const key = join(work, 'fim.key')
  const scan = ['--root', root, '--db', db, '--key', key]
  const store = ['--db', db, '--key', key]
  assert.equal((await driftwatch(['init', '--quiet', ...scan])).code, 0)

  writeFileSync(join(root, 'etc/motd'), 'authorised banner\n')
  chmodSync(join(root, 'etc/issue'), 0o600)
  writeFileSync(join(root, 'etc/new.conf'), 'x = 1\n')
  const first = await checkJson(scan)
  assert.deepEqual(
    first.report.changes.map((change) => change.key),
    ['file:/etc', 'file:/etc/issue', 'file:/etc/motd', 'file:/etc/new.conf'],
  )

  const accepted = await driftwatch(
    ['accept', ...store, 'file:/etc/motd', '--reason', 'CHG-1001 new banner'],
    {
      SUDO_USER: 'alice',
    },
  )
  assert.equal(accepted.code, 0, accepted.stderr)
  assert.match(
    accepted.stdout,
    /Accepted 1 change from check #1 as alice \(as \w+ via sudo\); baseline is now v2 \(3 changes of that check not accepted\)/,
  )

  const second = await checkJson(scan)
  assert.deepEqual(
    second.report.changes.map((change) => change.key),
    ['file:/etc', 'file:/etc/issue', 'file:/etc/new.conf'],
    'the accepted change is no longer reported; the others still are',
  )

  const unknown = await driftwatch(['accept', ...store, 'file:/etc/motd', '--reason', 'again'])
  assert.equal(unknown.code, 2)
  assert.match(
    unknown.stderr,
    /file:\/etc\/motd is not among the unaccepted changes of check #2.*DW_ERR_UNKNOWN_ELEMENT/,
  )

  const all = await driftwatch(['accept', ...store, '--reason', 'CHG-1002 hardening'])
  assert.equal(all.code, 0, all.stderr)
  const third = await checkJson(scan)
  assert.equal(third.code, 0)
  assert.deepEqual(
    third.report.changes,
    [],
    'after accepting everything the system matches its baseline',
  )

  const nothing = await driftwatch(['accept', ...store, '--reason', 'nothing'])
  assert.equal(nothing.code, 2)
  assert.match(nothing.stderr, /DW_ERR_NOTHING_TO_ACCEPT/)

  const history = await driftwatch(['history', ...store])
  assert.equal(history.code, 0)
  assert.match(history.stdout, /Baseline v3, first taken .* \(signature verified\)/)
  assert.match(history.stdout, /#3 .* baseline v3 +0 added, 0 removed, 0 modified/)
  assert.match(history.stdout, /#1 .* baseline v1 +1 added, 0 removed, 3 modified +\(1 accepted\)/)
  assert.match(
    history.stdout,
    /alice \(as \w+ via sudo\) +→ v2 +1 element\(s\) from check #1: CHG-1001 new banner/,
  )
  assert.match(history.stdout, /→ v3 +3 element\(s\) from check #2: CHG-1002 hardening/)

  const json = JSON.parse((await driftwatch(['history', ...store, '--format', 'json'])).stdout) as {
    checks: unknown[]
    acceptances: { reason: string; keys: string[] }[]
  }
  assert.equal(json.checks.length, 3)
  assert.deepEqual(json.acceptances[1], {
    ...json.acceptances[1],
    reason: 'CHG-1001 new banner',
    keys: ['file:/etc/motd'],
  })
})

test('accept refuses without a reason', async (t) => {
  const work = tempDir(t)
  const run = await driftwatch(['accept', '--db', join(work, 'x.db')])
  assert.equal(run.code, 2)
  assert.match(run.stderr, /required option '--reason <text>' not specified/)
})

test('history says when it could not verify, flags an altered check, and validates --limit', async (t) => {
  const work = tempDir(t)
  const root = join(work, 'root')
  mkdirSync(root)
  writeFileSync(join(root, 'motd'), 'hello\n')
  const db = join(work, 'fim.db')
  const key = join(work, 'fim.key')
  assert.equal(
    (await driftwatch(['init', '--quiet', '--root', root, '--db', db, '--key', key])).code,
    0,
  )
  writeFileSync(join(root, 'motd'), 'changed\n')
  assert.equal(
    (await driftwatch(['check', '--quiet', '--root', root, '--db', db, '--key', key])).code,
    1,
  )

  const noKey = await driftwatch(['history', '--db', db, '--key', join(work, 'absent.key')])
  assert.equal(noKey.code, 0)
  assert.match(noKey.stdout, /NOT VERIFIED: no key at hand/)

  const connection = new Database(db)
  connection.exec(`UPDATE check_changes SET fields = '{}'`)
  connection.close()
  const flagged = await driftwatch(['history', '--db', db, '--key', key])
  assert.match(flagged.stdout, /#1 .*\[ALTERED after the check signed it\]/)

  const bad = await driftwatch(['history', '--db', db, '--key', key, '--limit', '2.5'])
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /--limit must be a whole number of at least 1, not 2\.5/)
})
