import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { DirectoryTarget } from './directory-target.js'
import { resolveInRoot } from './resolve-in-root.js'

test('symlinks resolve inside the root, as chroot would', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'dw-root-'))
  t.after(() => rmSync(root, { recursive: true, force: true }))
  mkdirSync(join(root, 'etc'))
  mkdirSync(join(root, 'usr/share/zoneinfo'), { recursive: true })
  writeFileSync(join(root, 'usr/share/zoneinfo/UTC'), 'TZif')
  writeFileSync(join(root, 'etc/passwd'), 'inside:x:0:0::/:/bin/sh\n')
  symlinkSync('/usr/share/zoneinfo/UTC', join(root, 'etc/localtime'))
  symlinkSync('../../../../../../etc/passwd', join(root, 'etc/escape'))
  symlinkSync('/etc/loop', join(root, 'etc/loop'))

  assert.equal(resolveInRoot(root, '/etc/localtime'), '/usr/share/zoneinfo/UTC')
  assert.equal(resolveInRoot(root, '/etc/escape'), '/etc/passwd', '.. stops at the root')
  assert.equal(resolveInRoot(root, '/missing/file'), undefined)
  assert.throws(() => resolveInRoot(root, '/etc/loop'), /too many levels of symbolic links/)

  const target = new DirectoryTarget(root, { live: false, description: 'test' })
  assert.equal(target.readFile('/etc/localtime', 100)?.toString(), 'TZif')
  assert.equal(
    target.readFile('/etc/escape', 100)?.toString(),
    'inside:x:0:0::/:/bin/sh\n',
    "the root's own passwd",
  )
  assert.throws(() => target.readFile('/usr/share/zoneinfo/UTC', 2), /more than the 2 allowed/)
})
