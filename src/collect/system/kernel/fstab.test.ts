import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { fstabElements } from './fstab.js'

function fstab(text: string, problems: CollectionProblem[] = []) {
  return fstabElements(configLines(text, '/etc/fstab', problems), '/etc/fstab', problems)
}

test('each mount point has its device, type, options as written, dump and pass', () => {
  const text = [
    '# <file system> <mount point> <type> <options> <dump> <pass>',
    'UUID=1a2b-3c4d  /      ext4  errors=remount-ro  0  1',
    'tmpfs           /tmp/  tmpfs nodev,nosuid,noexec',
    '/dev/sdb1  /srv/my\\040data  xfs  defaults,nofail 0 2',
  ].join('\n')
  assert.deepEqual(fstab(text), [
    {
      key: 'fstab:/',
      attributes: {
        device: 'UUID=1a2b-3c4d',
        fstype: 'ext4',
        options: 'errors=remount-ro',
        dump: 0,
        pass: 1,
      },
    },
    {
      key: 'fstab:/tmp',
      attributes: {
        device: 'tmpfs',
        fstype: 'tmpfs',
        options: 'nodev,nosuid,noexec',
        dump: 0,
        pass: 0,
      },
    },
    {
      key: 'fstab:/srv/my data',
      attributes: {
        device: '/dev/sdb1',
        fstype: 'xfs',
        options: 'defaults,nofail',
        dump: 0,
        pass: 2,
      },
    },
  ])
})

test('swap areas are keyed by device; a mount point listed twice keeps the last line', () => {
  const text = [
    '/dev/sda2 none swap sw 0 0',
    '/swapfile none swap sw 0 0',
    '/dev/sdc1 /data ext4 defaults 0 2',
    '/dev/sdd1 /data xfs defaults 0 2',
  ].join('\n')
  assert.deepEqual(
    fstab(text).map((element) => [element.key, element.attributes['device']]),
    [
      ['fstab:swap:/dev/sda2', '/dev/sda2'],
      ['fstab:swap:/swapfile', '/swapfile'],
      ['fstab:/data', '/dev/sdd1'],
    ],
  )
})

test('a mount point with a newline in it cannot break a report line', () => {
  assert.equal(fstab('/dev/sdb1 /mnt/a\\012b ext4 defaults 0 0')[0]?.key, 'fstab:/mnt/a\\x0ab')
})

test('lines with too few or too many fields, or words for numbers, are problems', () => {
  const problems: CollectionProblem[] = []
  const text =
    '/dev/sda1 /\n/dev/sda1 / ext4 defaults 0 1 extra\n/dev/sda1 / ext4 defaults zero 1\n/dev/sda1 / ext4\n'
  assert.deepEqual(
    fstab(text, problems).map((element) => element.key),
    ['fstab:/'],
  )
  assert.deepEqual(
    problems.map((problem) => problem.path),
    ['/etc/fstab:1', '/etc/fstab:2', '/etc/fstab:3'],
  )
})
