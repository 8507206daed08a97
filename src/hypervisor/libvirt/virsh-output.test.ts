// virsh's plain-text answers as libvirt 9 prints them (LC_ALL=C), read into data.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseSnapshotTimes } from './virsh-output.js'

test('a snapshot table gives each creation time in UTC, oldest first, whatever the names', () => {
  const output = [
    ' Name               Creation Time               State',
    '-------------------------------------------------------------',
    ' before patch 2024-01-01 00:00:00 +0000   2024-05-01 09:30:00 +0200   running',
    ' 更新前             2023-12-31 23:00:00 -0130   disk-snapshot',
    ' s1                 2024-05-01 07:30:00 +0000   shutoff',
    '',
  ].join('\n')
  assert.deepEqual(parseSnapshotTimes(output), [
    '2024-01-01T00:30:00.000Z',
    '2024-05-01T07:30:00.000Z',
    '2024-05-01T07:30:00.000Z',
  ])
})

test('a domain without snapshots has an empty table: no snapshot, not an unknown', () => {
  const output = ' Name   Creation Time   State\n-------------------------------\n'
  assert.deepEqual(parseSnapshotTimes(output), [])
})

test('no table (virsh failed and printed nothing) or an unreadable row is unknown, not none', () => {
  assert.equal(parseSnapshotTimes(''), undefined)
  assert.equal(
    parseSnapshotTimes(
      ' Name   Creation Time   State\n-----------------\n s1   yesterday   running\n',
    ),
    undefined,
  )
})
