// The installed command, run as a process: exit statuses, plain progress lines off a terminal,
// help and usage errors. Needs the build (npm test runs it first).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { tempDir } from './support/temp-tree.js'

const BIN = new URL('../bin/driftwatch.js', import.meta.url).pathname

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

test('driftwatch init and check as processes: exit 0, then 1 on a change, progress as plain lines', (t) => {
  const work = tempDir(t)
  const root = join(work, 'root')
  mkdirSync(join(root, 'etc'), { recursive: true })
  writeFileSync(join(root, 'etc/hosts'), '127.0.0.1 localhost\n')
  const flags = ['--root', root, '--db', join(work, 'fim.db'), '--key', join(work, 'fim.key')]

  const init = run(['init', ...flags])
  assert.equal(init.status, 0, init.stderr)
  assert.match(
    init.stdout,
    /Baseline created in .*fim\.db: 4 elements/,
    '3 files and the hosts entry',
  )
  assert.match(init.stderr, /^scanned: 3 entries/m, 'a plain progress line, not a terminal one')
  assert.ok(!init.stderr.includes('\r'))

  assert.equal(run(['check', '--quiet', ...flags]).status, 0)
  writeFileSync(join(root, 'etc/hosts'), '127.0.0.1 localhost evil\n')
  const check = run(['check', '--quiet', ...flags])
  assert.equal(check.status, 1)
  assert.match(check.stdout, /~ file:\/etc\/hosts/)
  assert.equal(check.stderr, '', '--quiet writes nothing to stderr')
})

test('help lists the commands; an unknown flag is a usage error with exit 2', () => {
  const help = run(['--help'])
  assert.equal(help.status, 0)
  for (const command of ['init', 'check', 'accept', 'history'])
    assert.match(help.stdout, new RegExp(`^  ${command}`, 'm'))
  const bad = run(['check', '--colour'])
  assert.equal(bad.status, 2)
  assert.match(bad.stderr, /unknown option '--colour'/)
})

test('an unprivileged scan reports an unreadable file, and accepting its change keeps its digest', (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('needs root to run the scan as another user')
    return
  }
  const work = tempDir(t)
  chmodSync(work, 0o755)
  const root = join(work, 'root')
  mkdirSync(root)
  writeFileSync(join(root, 'public.txt'), 'anyone may read\n')
  writeFileSync(join(root, 'private.txt'), 'root only later\n', { mode: 0o644 })
  const state = join(work, 'state')
  mkdirSync(state)
  chownSync(state, 65534, 65534)
  const flags = [
    '--quiet',
    '--root',
    root,
    '--db',
    join(state, 'fim.db'),
    '--key',
    join(state, 'fim.key'),
  ]
  const asNobody = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
    const result = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args],
      { encoding: 'utf8', timeout: 60_000 },
    )
    return { status: result.status, stdout: result.stdout, stderr: result.stderr }
  }

  assert.equal(asNobody(['init', ...flags]).status, 0)
  chmodSync(join(root, 'private.txt'), 0o600)
  const check = asNobody(['check', '--format', 'json', ...flags])
  assert.equal(check.status, 1, check.stderr)
  const report = JSON.parse(check.stdout) as {
    changes: { key: string; fields: Record<string, unknown> }[]
    notChecked: { path: string; reason: string; detail: string }[]
  }
  assert.deepEqual(report.notChecked, [
    { path: '/private.txt', reason: 'unreadable', detail: 'EACCES' },
  ])
  assert.deepEqual(
    Object.keys(report.changes.find((c) => c.key === 'file:/private.txt')?.fields ?? {}),
    ['mode', 'ctime'],
  )

  assert.equal(
    asNobody(['accept', ...flags.filter((f) => f !== '--quiet').slice(2), '--reason', 'tightened'])
      .status,
    0,
  )
  chmodSync(join(root, 'private.txt'), 0o644)
  writeFileSync(join(root, 'private.txt'), 'root only LATER\n')
  chmodSync(join(root, 'private.txt'), 0o600)
  chmodSync(join(root, 'private.txt'), 0o644)
  // Readable again and changed: the digest kept in the baseline shows the content change.
  const after = asNobody(['check', '--format', 'json', ...flags])
  const fields = (JSON.parse(after.stdout) as typeof report).changes.find(
    (c) => c.key === 'file:/private.txt',
  )?.fields
  const sha256 = fields?.['sha256'] as { before: unknown; after: unknown } | undefined
  assert.match(
    String(sha256?.before),
    /^[0-9a-f]{64}$/,
    `the baseline kept its digest: ${JSON.stringify(fields)}`,
  )
  assert.match(String(sha256?.after), /^[0-9a-f]{64}$/)
})
