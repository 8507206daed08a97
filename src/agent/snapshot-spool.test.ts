import assert from 'node:assert/strict'
import { readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { tempDir } from '../../test/support/temp-tree.js'
import { AgentState } from './agent-state.js'
import type { SpooledSnapshot } from './snapshot-delta.js'
import { SnapshotSpool } from './snapshot-spool.js'

const snapshot = (sequence: number): SpooledSnapshot => ({
  uuid: `uuid-${sequence}-0000`,
  sequence,
  takenAt: '2025-01-01T00:00:00Z',
  elements: [{ key: 'user:root', attributes: `{"seq":${sequence}}` }],
  notChecked: [],
  uncertain: [],
})

test('snapshots come back oldest first, whatever order they were spooled in', (t) => {
  const spool = new SnapshotSpool(join(tempDir(t), 'spool'), { spoolLimit: 50, warn: () => {} })
  for (const sequence of [10, 2, 9]) spool.add(snapshot(sequence))
  assert.deepEqual(spool.sequences(), [2, 9, 10])
  assert.equal(spool.read(9)?.uuid, 'uuid-9-0000')
})

test('a full spool drops the oldest snapshot with a warning, never the newest', (t) => {
  const warnings: string[] = []
  const spool = new SnapshotSpool(join(tempDir(t), 'spool'), {
    spoolLimit: 3,
    warn: (line) => warnings.push(line),
  })
  for (const sequence of [1, 2, 3, 4, 5]) spool.add(snapshot(sequence))
  assert.deepEqual(spool.sequences(), [3, 4, 5])
  assert.equal(warnings.length, 2)
  assert.match(warnings[0] ?? '', /dropped snapshot 1/)
})

test('the state directory is private: 0700, files 0600, no temporary file left behind', (t) => {
  const directory = join(tempDir(t), 'state')
  const state = new AgentState(directory, { spoolLimit: 5, warn: () => {} })
  state.spool.add(snapshot(1))
  state.saveAcknowledged({ sequence: 1, elements: { 'user:root': 'x' } })
  state.saveCredential({
    console: 'http://127.0.0.1:1/',
    nodeId: 1,
    credential: 'dwa_secret',
    identity: { hostname: 'web' },
  })
  assert.equal(statSync(directory).mode & 0o777, 0o700)
  assert.equal(statSync(join(directory, 'spool')).mode & 0o777, 0o700)
  for (const name of ['credential.json', 'acknowledged.json', 'spool/000000000001.json']) {
    assert.equal(statSync(join(directory, name)).mode & 0o777, 0o600, name)
  }
  assert.deepEqual(readdirSync(join(directory, 'spool')), ['000000000001.json'])
  assert.deepEqual(readdirSync(directory).sort(), ['acknowledged.json', 'credential.json', 'spool'])
})

test('what an interrupted write left is removed when the agent starts again', (t) => {
  const directory = tempDir(t)
  new AgentState(directory, { spoolLimit: 5, warn: () => {} }).spool.add(snapshot(1))
  writeFileSync(join(directory, 'spool', '000000000002.json.tmp-abc'), '{"half')
  const state = new AgentState(directory, { spoolLimit: 5, warn: () => {} })
  assert.deepEqual(readdirSync(join(directory, 'spool')), ['000000000001.json'])
  assert.deepEqual(state.spool.sequences(), [1])
})

test('sequences never go back: after the spool and the acknowledged state', (t) => {
  const state = new AgentState(tempDir(t), { spoolLimit: 5, warn: () => {} })
  assert.equal(state.takeSequence(), 1)
  assert.equal(state.takeSequence(), 2)
  state.spool.add(snapshot(7))
  assert.equal(state.takeSequence(), 8)
  state.saveAcknowledged({ sequence: 20, elements: {} })
  assert.equal(state.takeSequence(), 21)
})

test('renumbering moves every snapshot above the floor, in order, keeping the uuids', (t) => {
  const spool = new SnapshotSpool(tempDir(t), { spoolLimit: 50, warn: () => {} })
  for (const sequence of [3, 4, 9]) spool.add(snapshot(sequence))
  assert.equal(spool.renumberAbove(40), 44)
  assert.deepEqual(spool.sequences(), [41, 42, 43])
  assert.deepEqual(
    spool.sequences().map((sequence) => spool.read(sequence)?.uuid),
    ['uuid-3-0000', 'uuid-4-0000', 'uuid-9-0000'],
  )
})

test('a damaged spool file is reported and dropped, not retried forever', (t) => {
  const warnings: string[] = []
  const directory = tempDir(t)
  const spool = new SnapshotSpool(directory, { spoolLimit: 5, warn: (line) => warnings.push(line) })
  writeFileSync(join(directory, '000000000004.json'), '{"sequence":')
  assert.equal(spool.read(4), undefined)
  assert.deepEqual(spool.sequences(), [])
  assert.match(warnings[0] ?? '', /snapshot 4 is damaged/)
})
