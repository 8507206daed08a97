import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
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

test('a file that reads as more than the limit is refused, whatever size it reports', () => {
  assert.throws(() => openTarget({}).readFile('/proc/self/mounts', 8), /more than the 8 allowed/)
})

test('an empty file reads as empty', (t) => {
  const root = tempDir(t)
  writeFileSync(join(root, 'empty'), '')
  const target = new DirectoryTarget(root, { live: false, description: 'fixture' })
  assert.equal(target.readFile('/empty', 10)?.length, 0)
})
