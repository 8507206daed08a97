// A baseline nobody can quietly rewrite: check refuses a tampered, corrupted or foreign database
// with a clear message and exit status 4, and records nothing.
import assert from 'node:assert/strict'
import Database from 'better-sqlite3'
import { existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { driftwatch } from './support/run-cli.js'
import { tempDir } from './support/temp-tree.js'

async function initialized(
  t: TestContext,
): Promise<{ work: string; root: string; db: string; key: string; flags: string[] }> {
  const work = tempDir(t)
  const root = join(work, 'root')
  mkdirSync(join(root, 'etc'), { recursive: true })
  writeFileSync(join(root, 'etc/hosts'), '127.0.0.1 localhost\n')
  writeFileSync(join(root, 'etc/motd'), 'welcome\n')
  const db = join(work, 'fim.db')
  const key = join(work, 'fim.key')
  const flags = ['--quiet', '--root', root, '--db', db, '--key', key]
  const init = await driftwatch(['init', ...flags])
  assert.equal(init.code, 0, init.stderr)
  return { work, root, db, key, flags }
}

function edit(db: string, sql: string): void {
  const connection = new Database(db)
  connection.exec(sql)
  connection.close()
}

function checkCount(db: string): number {
  const connection = new Database(db, { readonly: true })
  const count = connection.prepare('SELECT count(*) FROM checks').pluck().get() as number
  connection.close()
  return count
}

const TAMPERINGS: [string, string, RegExp][] = [
  [
    'an element rewritten to hide a change, digest and all',
    `UPDATE baseline_elements SET attributes = replace(attributes, '"mode":"0644"', '"mode":"0600"'),
       digest = 'AAAAAAAAAAAAAAAAAAAAAA' WHERE key = 'file:/etc/motd'`,
    /elements were changed after the baseline was signed/,
  ],
  [
    'an element deleted',
    `DELETE FROM baseline_elements WHERE key = 'file:/etc/hosts'`,
    /holds 4 elements, the signed baseline 5/,
  ],
  [
    'an element inserted',
    `INSERT INTO baseline_elements VALUES ('file:/etc/rootkit', 'AAAAAAAAAAAAAAAAAAAAAA', '{"type":"file"}')`,
    /holds 6 elements/,
  ],
  [
    'the header edited',
    `UPDATE baseline_header SET target = 'somewhere else'`,
    /header does not match its signature/,
  ],
  [
    'the signature replaced',
    `UPDATE baseline_header SET signature = 'AAAA'`,
    /header does not match its signature/,
  ],
]

for (const [what, sql, message] of TAMPERINGS) {
  test(`check refuses a baseline with ${what}`, async (t) => {
    const { db, flags } = await initialized(t)
    edit(db, sql)
    const run = await driftwatch(['check', ...flags])
    assert.equal(run.code, 4, run.stderr)
    assert.match(run.stderr, message)
    assert.match(run.stderr, /DW_ERR_BASELINE_TAMPERED/)
    assert.equal(run.stdout, '', 'no report from an untrusted baseline')
    assert.equal(checkCount(db), 0, 'nothing recorded')
  })
}

test('check refuses to show a change against stored attributes that do not match their signed digest', async (t) => {
  const { root, db, flags } = await initialized(t)
  edit(
    db,
    `UPDATE baseline_elements SET attributes = replace(attributes, '"mode":"0644"', '"mode":"0600"') WHERE key = 'file:/etc/motd'`,
  )
  // Unchanged files are judged by the signed digest alone: still no change.
  assert.equal((await driftwatch(['check', ...flags])).code, 0)
  writeFileSync(join(root, 'etc/motd'), 'changed\n')
  const run = await driftwatch(['check', ...flags])
  assert.equal(run.code, 4, run.stderr)
  assert.match(
    run.stderr,
    /stored attributes of file:\/etc\/motd do not match the signed baseline.*DW_ERR_BASELINE_TAMPERED/,
  )
})

test('check refuses when the record of who accepted what was altered', async (t) => {
  const { root, db, key, flags } = await initialized(t)
  writeFileSync(join(root, 'etc/motd'), 'changed\n')
  assert.equal((await driftwatch(['check', ...flags])).code, 1)
  assert.equal(
    (await driftwatch(['accept', '--db', db, '--key', key, '--reason', 'CHG-7'])).code,
    0,
  )
  edit(db, `UPDATE acceptances SET who = 'nobody'`)
  const run = await driftwatch(['check', ...flags])
  assert.equal(run.code, 4)
  assert.match(run.stderr, /record of accepted changes was altered/)
})

test('check refuses a file that is not a database, and a truncated one', async (t) => {
  const { db, flags } = await initialized(t)
  const original = readFileSync(db)
  writeFileSync(db, 'this is not a database at all, just text'.repeat(100))
  let run = await driftwatch(['check', ...flags])
  assert.equal(run.code, 4, run.stderr)
  assert.match(run.stderr, /damaged or is not a driftwatch database.*DW_ERR_DB_CORRUPT/)

  writeFileSync(db, original)
  truncateSync(db, Math.floor(statSync(db).size / 2))
  run = await driftwatch(['check', ...flags])
  assert.equal(run.code, 4, run.stderr)
  assert.match(run.stderr, /DW_ERR_DB_CORRUPT|DW_ERR_BASELINE_TAMPERED/)
})

test('check refuses a baseline signed with another key, naming both keys', async (t) => {
  const { work, flags } = await initialized(t)
  const other = flags.map((flag) => (flag.endsWith('fim.key') ? join(work, 'other.key') : flag))
  // A key nobody has used: written by init of another database.
  assert.equal(
    (
      await driftwatch([
        'init',
        '--quiet',
        '--root',
        work,
        '--db',
        join(work, 'x.db'),
        '--key',
        join(work, 'other.key'),
        '--rules',
        writeRules(work),
      ])
    ).code,
    0,
  )
  const run = await driftwatch(['check', ...other])
  assert.equal(run.code, 4)
  assert.match(
    run.stderr,
    /was signed with key ed25519:[0-9a-f]{32}, not with ed25519:[0-9a-f]{32}.*DW_ERR_KEY_MISMATCH/,
  )
})

test('a missing key file and a missing database are usage errors, exit 2', async (t) => {
  const { work, flags } = await initialized(t)
  const noKey = flags.map((flag) => (flag.endsWith('fim.key') ? join(work, 'absent.key') : flag))
  let run = await driftwatch(['check', ...noKey])
  assert.equal(run.code, 2)
  assert.match(run.stderr, /absent\.key: no such file.*DW_ERR_KEY_MISSING/)
  run = await driftwatch([
    'check',
    '--quiet',
    '--root',
    work,
    '--db',
    join(work, 'never.db'),
    '--key',
    join(work, 'fim.key'),
  ])
  assert.equal(run.code, 2)
  assert.match(
    run.stderr,
    /never\.db does not exist: run driftwatch init first.*DW_ERR_DB_NOT_INITIALIZED/,
  )
})

test('a passphrase-signed baseline verifies with the passphrase and refuses another', async (t) => {
  const work = tempDir(t)
  const root = join(work, 'root')
  mkdirSync(root)
  writeFileSync(join(root, 'file'), 'x\n')
  const flags = ['--quiet', '--root', root, '--db', join(work, 'p.db')]
  const good = { DRIFTWATCH_PASSPHRASE: 'correct horse battery staple' }
  assert.equal((await driftwatch(['init', ...flags], good)).code, 0)
  assert.equal((await driftwatch(['check', ...flags], good)).code, 0)
  const wrong = await driftwatch(['check', ...flags], {
    DRIFTWATCH_PASSPHRASE: 'wrong horse battery staple',
  })
  assert.equal(wrong.code, 4)
  assert.match(wrong.stderr, /DW_ERR_KEY_MISMATCH/)
  const none = await driftwatch(['check', ...flags, '--key', join(work, 'some.key')])
  assert.equal(none.code, 2)
  assert.match(none.stderr, /signed with a passphrase/)
})

function writeRules(work: string): string {
  const path = join(work, 'tiny-rules.yaml')
  writeFileSync(path, 'rules:\n  - path: /root\n    recurse: false\n')
  return path
}

test('a host holding only the public key can check but not accept', async (t) => {
  const { root, db, key, flags } = await initialized(t)
  const exported = await driftwatch(['key', 'public', '--key', key])
  assert.equal(exported.code, 0, exported.stderr)
  assert.match(exported.stdout, /^-----BEGIN PUBLIC KEY-----/)
  const publicKey = join(root, '..', 'public.pem')
  writeFileSync(publicKey, exported.stdout)
  const verifyOnly = flags.map((flag) => (flag === key ? publicKey : flag))
  writeFileSync(join(root, 'etc/motd'), 'changed\n')
  assert.equal((await driftwatch(['check', ...verifyOnly])).code, 1)
  const accept = await driftwatch(['accept', '--db', db, '--key', publicKey, '--reason', 'try'])
  assert.equal(accept.code, 2)
  assert.match(accept.stderr, /ran with a public key only.*DW_ERR_CHECK_UNSIGNED/)
  const withPrivate = await driftwatch(['accept', '--db', db, '--key', key, '--reason', 'try'])
  assert.equal(withPrivate.code, 2, 'an unsigned check cannot be accepted with any key')
  assert.match(withPrivate.stderr, /DW_ERR_CHECK_UNSIGNED/)
})

test('a change slipped into the record of a check is never accepted', async (t) => {
  const { root, db, key, flags } = await initialized(t)
  writeFileSync(join(root, 'etc/motd'), 'changed\n')
  assert.equal((await driftwatch(['check', ...flags])).code, 1)
  // Someone who can write the database, but has no key, adds a change the operator never saw.
  edit(
    db,
    `INSERT INTO check_changes (check_id, key, change, fields, observed)
     VALUES (1, 'file:/usr/bin/trojan', 'added', '{}', '{"type":"file"}')`,
  )
  const accept = await driftwatch(['accept', '--db', db, '--key', key, '--reason', 'routine'])
  assert.equal(accept.code, 4, accept.stderr)
  assert.match(accept.stderr, /record of check #1 was altered.*DW_ERR_CHECK_TAMPERED/)
  edit(db, `DELETE FROM check_changes WHERE key = 'file:/usr/bin/trojan'`)
  edit(
    db,
    `UPDATE check_changes SET observed = replace(observed, '"mode":"0644"', '"mode":"4755"')`,
  )
  const edited = await driftwatch(['accept', '--db', db, '--key', key, '--reason', 'routine'])
  assert.equal(edited.code, 4, 'an edited observed state is refused too')
  edit(
    db,
    `UPDATE check_changes SET observed = replace(observed, '"mode":"4755"', '"mode":"0644"')`,
  )
  assert.equal(
    (await driftwatch(['accept', '--db', db, '--key', key, '--reason', 'routine'])).code,
    0,
  )
})

test('init refuses to overwrite a baseline, and a failed init leaves no database behind', async (t) => {
  const { work, root, db, key } = await initialized(t)
  const again = await driftwatch(['init', '--quiet', '--root', root, '--db', db, '--key', key])
  assert.equal(again.code, 2)
  assert.match(again.stderr, /already holds a baseline.*DW_ERR_DB_ALREADY_INITIALIZED/)
  assert.equal(
    (await driftwatch(['check', '--quiet', '--root', root, '--db', db, '--key', key])).code,
    0,
  )

  const badRules = join(work, 'bad.yaml')
  writeFileSync(badRules, 'rules:\n  - path: /\n    attributes: [colour]\n')
  const fresh = join(work, 'fresh.db')
  const failed = await driftwatch([
    'init',
    '--quiet',
    '--root',
    root,
    '--db',
    fresh,
    '--key',
    key,
    '--rules',
    badRules,
  ])
  assert.equal(failed.code, 2)
  assert.match(failed.stderr, /bad\.yaml:3:\d+: rules\[0\]\.attributes/)
  assert.equal(existsSync(fresh), false)
})
