import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { mountElements } from './mounts.js'

const MOUNTS = `proc /proc proc rw,relatime 0 0
sysfs /sys sysfs rw,relatime 0 0
devtmpfs /dev devtmpfs rw,relatime,size=12334460k 0 0
tmpfs /dev/shm tmpfs rw,relatime 0 0
/dev/vda / ext4 rw,relatime 0 0
tmpfs /run tmpfs rw,nosuid,nodev,size=1634300k,mode=755 0 0
tmpfs /run/user/1000 tmpfs rw,nosuid,nodev,relatime,uid=1000 0 0
cgroup2 /srv/cgroup cgroup2 rw 0 0
/dev/sdb1 /srv/my\\040data xfs rw,noatime 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev,noexec 0 0
`

test('real file systems and /dev/shm are listed; kernel views, pseudo file systems and login mounts are not', () => {
  const problems: CollectionProblem[] = []
  const elements = mountElements(
    configLines(MOUNTS, '/proc/self/mounts', problems),
    '/proc/self/mounts',
    problems,
  )
  assert.deepEqual(elements, [
    // kept although under /dev: hardening benchmarks judge its options
    {
      key: 'mount:/dev/shm',
      attributes: { device: 'tmpfs', fstype: 'tmpfs', options: 'rw,relatime' },
    },
    { key: 'mount:/', attributes: { device: '/dev/vda', fstype: 'ext4', options: 'rw,relatime' } },
    {
      key: 'mount:/run',
      attributes: {
        device: 'tmpfs',
        fstype: 'tmpfs',
        options: 'rw,nosuid,nodev,size=1634300k,mode=755',
      },
    },
    {
      key: 'mount:/srv/my data',
      attributes: { device: '/dev/sdb1', fstype: 'xfs', options: 'rw,noatime' },
    },
    // mounted twice: the last mount is the one in use
    {
      key: 'mount:/tmp',
      attributes: { device: 'tmpfs', fstype: 'tmpfs', options: 'rw,nosuid,nodev,noexec' },
    },
  ])
  assert.deepEqual(problems, [])
})

test('a line that is not a mount is a problem, the others still count', () => {
  const problems: CollectionProblem[] = []
  const text = 'garbage\n/dev/vda / ext4 rw 0 0\n'
  const elements = mountElements(
    configLines(text, '/proc/self/mounts', problems),
    '/proc/self/mounts',
    problems,
  )
  assert.equal(elements.length, 1)
  assert.deepEqual(
    problems.map((problem) => problem.path),
    ['/proc/self/mounts:1'],
  )
})
