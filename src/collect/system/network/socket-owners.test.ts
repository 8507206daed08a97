import assert from 'node:assert/strict'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { DirectoryTarget } from '../../../target/index.js'
import { tempDir } from '../../../../test/support/temp-tree.js'
import { findSocketOwners } from './socket-owners.js'

/** A fake /proc: each process with its comm and its fd links. */
function fakeProc(t: TestContext, processes: Record<string, { comm: string; fds: string[] }>) {
  const root = tempDir(t)
  for (const [pid, { comm, fds }] of Object.entries(processes)) {
    mkdirSync(join(root, 'proc', pid, 'fd'), { recursive: true })
    writeFileSync(join(root, 'proc', pid, 'comm'), `${comm}\n`)
    fds.forEach((link, fd) => symlinkSync(link, join(root, 'proc', pid, 'fd', String(fd))))
  }
  return { root, target: new DirectoryTarget(root, { live: false, description: 'fixture' }) }
}

test('a socket is owned by every process that holds it, by command name', (t) => {
  const { target } = fakeProc(t, {
    '100': { comm: 'sshd', fds: ['/dev/null', 'socket:[639]', 'socket:[640]'] },
    '101': { comm: 'sshd', fds: ['socket:[639]'] },
    '200': { comm: 'nginx', fds: ['socket:[700]', 'pipe:[5]', 'socket:[999]'] },
  })
  const owners = findSocketOwners(target, new Set([639, 640, 700, 701]))
  assert.deepEqual(owners.commands.get(639), new Set(['sshd']))
  assert.deepEqual(owners.commands.get(640), new Set(['sshd']))
  assert.deepEqual(owners.commands.get(700), new Set(['nginx']))
  assert.equal(owners.commands.get(701), undefined)
  assert.equal(owners.commands.has(999), false)
  assert.equal(owners.unreadableProcesses, 0)
})

test('a process whose open files cannot be listed is counted, not fatal', (t) => {
  const { root, target } = fakeProc(t, { '100': { comm: 'sshd', fds: ['socket:[639]'] } })
  // Root reads any fd directory, so a symlink loop stands in for EACCES here.
  mkdirSync(join(root, 'proc', '300'))
  symlinkSync('fd', join(root, 'proc', '300', 'fd'))
  const owners = findSocketOwners(target, new Set([639]))
  assert.deepEqual(owners.commands.get(639), new Set(['sshd']))
  assert.equal(owners.unreadableProcesses, 1)
})

test('a process cannot forge a list or control the terminal through its command name', (t) => {
  const { target } = fakeProc(t, { '100': { comm: 'a,b\u001b[31m', fds: ['socket:[1]'] } })
  assert.deepEqual(
    findSocketOwners(target, new Set([1])).commands.get(1),
    new Set(['a\\x2cb\\x1b[31m']),
  )
})
