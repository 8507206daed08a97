// A scripted change set on a generated tree is reported exactly: every change in its category
// with the right attributes, and nothing else.
import assert from 'node:assert/strict'
import {
  appendFileSync,
  chmodSync,
  chownSync,
  linkSync,
  lstatSync,
  mkdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { checkJson, driftwatch, type CheckJson } from './support/run-cli.js'
import { freezeTimes, tempDir } from './support/temp-tree.js'

const LATIN1_NAME = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x74, 0x78, 0x74]) // "caf\xe9.txt"

function buildTree(root: string): void {
  for (const dir of ['etc', 'bin', 'data', 'data/olddir', 'links'])
    mkdirSync(join(root, dir), { recursive: true })
  writeFileSync(
    join(root, 'etc/passwd'),
    'root:x:0:0:root:/root:/bin/bash\nalice:x:1234:1234::/home/alice:/bin/sh\n',
  )
  writeFileSync(join(root, 'etc/group'), 'root:x:0:\nstaff:x:2345:\n')
  writeFileSync(join(root, 'etc/app.conf'), 'listen = 80\nworkers = 4\nlog = info\n')
  writeFileSync(join(root, 'bin/tool'), '#!/bin/sh\necho tool\n', { mode: 0o755 })
  chmodSync(join(root, 'bin/tool'), 0o755)
  writeFileSync(join(root, 'data/same-size.bin'), 'A'.repeat(1000))
  writeFileSync(join(root, 'data/mtime-restored.txt'), 'original content\n')
  writeFileSync(join(root, 'data/append.log'), 'line 1\n')
  for (const name of ['chown.txt', 'chgrp.txt', 'touched.txt', 'deleted.txt', 'rename-me.txt']) {
    writeFileSync(join(root, 'data', name), `${name}\n`)
  }
  writeFileSync(join(root, 'data/olddir/a'), 'a\n')
  writeFileSync(join(root, 'data/olddir/b'), 'b\n')
  writeFileSync(join(root, 'data/to-symlink.txt'), 'will become a link\n')
  writeFileSync(join(root, 'data/to-dir.txt'), 'will become a directory\n')
  writeFileSync(join(root, 'data/hardlink-src.txt'), 'linked\n')
  writeFileSync(
    Buffer.concat([Buffer.from(join(root, 'data') + '/'), LATIN1_NAME]),
    'latin-1 named\n',
  )
  symlinkSync('target-a', join(root, 'links/ln'))
  freezeTimes(root)
}

function mutateTree(root: string): void {
  const data = (name: string): string => join(root, 'data', name)
  writeFileSync(data('same-size.bin'), 'B'.repeat(1000))
  const restored = lstatSync(data('mtime-restored.txt'))
  writeFileSync(data('mtime-restored.txt'), 'tampered content\n')
  utimesSync(data('mtime-restored.txt'), restored.atime, restored.mtime)
  appendFileSync(data('append.log'), 'line 2\n')
  chmodSync(join(root, 'bin/tool'), 0o4755)
  chownSync(data('chown.txt'), 1234, 0)
  chownSync(data('chgrp.txt'), 0, 2345)
  utimesSync(
    data('touched.txt'),
    new Date('2025-05-05T05:05:05Z'),
    new Date('2025-05-05T05:05:05Z'),
  )
  unlinkSync(data('deleted.txt'))
  rmSync(data('olddir'), { recursive: true })
  writeFileSync(data('new.txt'), 'new file\n')
  mkdirSync(data('newdir'))
  writeFileSync(data('newdir/x'), 'x\n')
  renameSync(data('rename-me.txt'), data('renamed.txt'))
  unlinkSync(join(root, 'links/ln'))
  symlinkSync('target-b', join(root, 'links/ln'))
  unlinkSync(data('to-symlink.txt'))
  symlinkSync('/etc/passwd', data('to-symlink.txt'))
  unlinkSync(data('to-dir.txt'))
  mkdirSync(data('to-dir.txt'))
  linkSync(data('hardlink-src.txt'), data('hardlink-new.txt'))
  writeFileSync(
    Buffer.concat([Buffer.from(data('') + '/'), LATIN1_NAME]),
    'latin-1 named, changed\n',
  )
}

interface Expected {
  readonly change: 'added' | 'removed' | 'modified'
  /** Fields that must differ. */
  readonly must?: readonly string[]
  /** Fields that may differ too (inode numbers can be reused, directory sizes may stay). */
  readonly may?: readonly string[]
  readonly values?: Readonly<Record<string, [unknown, unknown]>>
}

const REPLACED = ['inode', 'nlink', 'uid', 'user', 'gid', 'group']

const EXPECTED: Readonly<Record<string, Expected>> = {
  'file:/data/same-size.bin': { change: 'modified', must: ['sha256', 'mtime', 'ctime'] },
  'file:/data/mtime-restored.txt': { change: 'modified', must: ['sha256', 'ctime'] },
  'file:/data/append.log': {
    change: 'modified',
    must: ['size', 'sha256', 'mtime', 'ctime'],
    values: { size: [7, 14] },
  },
  'file:/bin/tool': {
    change: 'modified',
    must: ['mode', 'ctime'],
    values: { mode: ['0755', '4755'] },
  },
  'file:/data/chown.txt': {
    change: 'modified',
    must: ['uid', 'user', 'ctime'],
    values: { uid: [0, 1234], user: ['root', 'alice'] },
  },
  'file:/data/chgrp.txt': {
    change: 'modified',
    must: ['gid', 'group', 'ctime'],
    values: { gid: [0, 2345], group: ['root', 'staff'] },
  },
  'file:/data/touched.txt': {
    change: 'modified',
    must: ['mtime', 'ctime'],
    values: { mtime: ['2024-01-02T03:04:05.000Z', '2025-05-05T05:05:05.000Z'] },
  },
  'file:/data/deleted.txt': { change: 'removed' },
  'file:/data/olddir': { change: 'removed' },
  'file:/data/olddir/a': { change: 'removed' },
  'file:/data/olddir/b': { change: 'removed' },
  'file:/data/new.txt': { change: 'added' },
  'file:/data/newdir': { change: 'added' },
  'file:/data/newdir/x': { change: 'added' },
  'file:/data/rename-me.txt': { change: 'removed' },
  'file:/data/renamed.txt': { change: 'added' },
  'file:/links/ln': {
    change: 'modified',
    must: ['target', 'mtime', 'ctime'],
    may: ['inode'],
    values: { target: ['target-a', 'target-b'] },
  },
  'file:/data/to-symlink.txt': {
    change: 'modified',
    must: ['type', 'mode', 'size', 'mtime', 'ctime', 'target', 'sha256'],
    may: REPLACED,
    values: { type: ['file', 'symlink'], target: [null, '/etc/passwd'] },
  },
  'file:/data/to-dir.txt': {
    change: 'modified',
    must: ['type', 'mode', 'size', 'mtime', 'ctime', 'nlink', 'sha256'],
    may: REPLACED,
    values: { type: ['file', 'directory'], sha256: [undefined, null] },
  },
  'file:/data/hardlink-new.txt': { change: 'added' },
  'file:/data/hardlink-src.txt': {
    change: 'modified',
    must: ['nlink', 'ctime'],
    values: { nlink: [1, 2] },
  },
  'file:/data/caf\\xe9.txt': { change: 'modified', must: ['size', 'sha256', 'mtime', 'ctime'] },
  // Directories whose entries changed.
  'file:/data': { change: 'modified', must: ['mtime', 'ctime'], may: ['size', 'nlink'] },
  'file:/links': { change: 'modified', must: ['mtime', 'ctime'], may: ['size'] },
}

function assertExactly(report: CheckJson): void {
  const seen = new Map(report.changes.map((change) => [change.key, change]))
  assert.deepEqual(
    [...seen.keys()].sort(),
    Object.keys(EXPECTED).sort(),
    'the changed elements, exactly',
  )
  for (const [key, expected] of Object.entries(EXPECTED)) {
    const change = seen.get(key)
    assert.ok(change, key)
    assert.equal(change.change, expected.change, `${key} is ${expected.change}`)
    if (expected.change !== 'modified') continue
    const fields = Object.keys(change.fields)
    for (const name of expected.must ?? [])
      assert.ok(fields.includes(name), `${key}: ${name} changed (got ${fields.join(', ')})`)
    const allowed = new Set([...(expected.must ?? []), ...(expected.may ?? [])])
    for (const name of fields)
      assert.ok(allowed.has(name), `${key}: ${name} should not be reported`)
    for (const [name, [before, after]] of Object.entries(expected.values ?? {})) {
      if (before !== undefined)
        assert.equal(change.fields[name]?.before, before, `${key}: ${name} before`)
      assert.equal(change.fields[name]?.after, after, `${key}: ${name} after`)
    }
  }
}

test('a scripted change set is reported exactly, each change in its category', async (t) => {
  const work = tempDir(t)
  const root = join(work, 'root')
  mkdirSync(root)
  buildTree(root)
  const flags = ['--root', root, '--db', join(work, 'fim.db'), '--key', join(work, 'fim.key')]

  const init = await driftwatch(['init', '--quiet', ...flags])
  assert.equal(init.code, 0, init.stderr)

  const quiet = await checkJson(flags)
  assert.equal(quiet.code, 0, 'exit 0 when nothing changed')
  assert.deepEqual(quiet.report.changes, [], 'a check right after init reports nothing')

  mutateTree(root)
  const { code, report } = await checkJson(flags)
  assert.equal(code, 1, 'exit 1 when changes are found')
  assertExactly(report)
  assert.deepEqual(
    {
      added: report.summary.added,
      removed: report.summary.removed,
      modified: report.summary.modified,
    },
    { added: 5, removed: 5, modified: 14 },
  )
  const renamed = report.changes.find((change) => change.key === 'file:/data/renamed.txt')
  assert.equal(renamed?.renamedFrom, 'file:/data/rename-me.txt', 'a rename is recognised')
  assert.equal(report.summary.byAttribute['ctime'], 14, 'every modified element changed ctime')
})

test('a changed config file shows a unified diff of its content', async (t) => {
  const work = tempDir(t)
  const root = join(work, 'root')
  mkdirSync(join(root, 'etc'), { recursive: true })
  writeFileSync(join(root, 'etc/app.conf'), 'listen = 80\nworkers = 4\nlog = info\n')
  const flags = ['--root', root, '--db', join(work, 'fim.db'), '--key', join(work, 'fim.key')]
  assert.equal((await driftwatch(['init', '--quiet', ...flags])).code, 0)
  writeFileSync(join(root, 'etc/app.conf'), 'listen = 8080\nworkers = 4\nlog = info\n')

  const { report } = await checkJson(flags)
  const diff = report.changes.find((change) => change.key === 'file:/etc/app.conf')?.contentDiff
  assert.ok(diff, 'the change carries a content diff')
  assert.match(diff, /^-listen = 80$/m)
  assert.match(diff, /^\+listen = 8080$/m)

  const text = await driftwatch(['check', '--quiet', ...flags])
  assert.equal(text.code, 1)
  assert.match(text.stdout, /Changes: 1 — 0 added, 0 removed, 1 modified/)
  assert.match(text.stdout, /~ file:\/etc\/app\.conf/)
  assert.match(text.stdout, /sha256: [0-9a-f]{16}… → [0-9a-f]{16}…/)
  assert.match(text.stdout, /\+listen = 8080/)
})
