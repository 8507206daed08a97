import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { tempDir } from '../../test/support/temp-tree.js'
import { DirectoryTarget } from './directory-target.js'
import { openTarget } from './open-target.js'

test('files in /proc, which report a size of 0, are read to the end', () => {
  const target = openTarget({})
  assert.equal(target.readFile('/proc/sys/kernel/ostype', 4096)?.toString(), 'Linux\n')
  assert.match(target.readFile('/proc/self/mounts', 1024 * 1024)?.toString() ?? '', / \/ /)
})

test('a file in /proc longer than one read comes back whole, every chunk its own', (t) => {
  // /proc/kallsyms reports a size of 0 and holds megabytes: many reads through one buffer.
  if (!existsSync('/proc/kallsyms')) return t.skip('no /proc/kallsyms here')
  const read = openTarget({}).readFile('/proc/kallsyms', 64 * 1024 * 1024)
  assert.ok(read !== undefined && read.length > 64 * 1024)
  assert.ok(read.equals(readFileSync('/proc/kallsyms')))
})

test('a file that reads as more than the limit is refused, whatever size it reports', () => {
  assert.throws(() => openTarget({}).readFile('/proc/self/mounts', 8), /more than the 8 allowed/)
})

test('an empty file reads as empty', (t) => {
  const root = tempDir(t)
  writeFileSync(join(root, 'empty'), '')
  const target = new DirectoryTarget(root, { live: false, description: 'fixture' })
  assert.equal(target.readFile('/empty', 10)?.length, 0)
})
