import assert from 'node:assert/strict'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { tempDir } from '../../../../test/support/temp-tree.js'
import { openTarget } from '../../../target/index.js'
import type { CollectionProblem } from '../system-collector.js'
import { parseDpkgMd5sums, readDpkgFileDigests, readDpkgFileList } from './dpkg-files.js'

test('md5sums map each path, as file keys show it, to its recorded digest', () => {
  const problems: CollectionProblem[] = []
  const bytes = Buffer.concat([
    Buffer.from('5E8D4C57C8A38A2F2D3C5F0E0B9A0C11  usr/sbin/sshd\n'),
    Buffer.from('d41d8cd98f00b204e9800998ecf8427e  usr/share/caf'),
    Buffer.from([0xe9]),
    Buffer.from('\nnot-a-digest  usr/bin/x\n0123  \n'),
  ])
  const digests = parseDpkgMd5sums(bytes, '/var/lib/dpkg/info/x.md5sums', problems)
  assert.deepEqual(
    [...digests],
    [
      ['/usr/sbin/sshd', '5e8d4c57c8a38a2f2d3c5f0e0b9a0c11'],
      ['/usr/share/caf\\xe9', 'd41d8cd98f00b204e9800998ecf8427e'],
    ],
  )
  assert.deepEqual(
    problems.map((p) => p.path),
    ['/var/lib/dpkg/info/x.md5sums:3', '/var/lib/dpkg/info/x.md5sums:4'],
  )
})

test("a package's file list and digests are found under its Multi-Arch name or its plain name", (t) => {
  const root = tempDir(t, 'dw-dpkg-files-')
  const info = join(root, 'var/lib/dpkg/info')
  mkdirSync(info, { recursive: true })
  writeFileSync(
    join(info, 'libc6:amd64.list'),
    '/.\n/etc\n/etc/ld.so.conf.d\n/lib/x86_64-linux-gnu/libc.so.6\n',
  )
  writeFileSync(
    join(info, 'libc6:amd64.md5sums'),
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  lib/x86_64-linux-gnu/libc.so.6\n',
  )
  writeFileSync(join(info, 'bash.list'), '/.\n/bin\n/bin/bash\n')
  writeFileSync(join(info, 'bash.md5sums'), 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb  bin/bash\n')
  const target = openTarget({ root })
  assert.deepEqual(readDpkgFileList(target, 'libc6', 'amd64'), [
    '/etc',
    '/etc/ld.so.conf.d',
    '/lib/x86_64-linux-gnu/libc.so.6',
  ])
  assert.deepEqual(
    [...readDpkgFileDigests(target, 'libc6', 'amd64')],
    [['/lib/x86_64-linux-gnu/libc.so.6', 'a'.repeat(32)]],
  )
  assert.deepEqual(
    [...readDpkgFileDigests(target, 'bash', 'amd64')],
    [['/bin/bash', 'b'.repeat(32)]],
  )
  assert.deepEqual([...readDpkgFileDigests(target, 'bash')], [['/bin/bash', 'b'.repeat(32)]])
  assert.equal(readDpkgFileList(target, 'missing'), undefined)
  assert.equal(readDpkgFileDigests(target, 'missing').size, 0, 'no md5sums: nothing recorded')
  assert.equal(readDpkgFileList(target, '../../../../etc/passwd'), undefined, 'no path in a name')
})
