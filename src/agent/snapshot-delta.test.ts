import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { IncomingElement } from '../store/index.js'
import {
  acknowledgedAfter,
  deltaSnapshot,
  elementDigest,
  provenanceFor,
  wholeSnapshot,
  type AcknowledgedState,
  type SpooledSnapshot,
} from './snapshot-delta.js'

const element = (key: string, attributes: string, content?: string): IncomingElement => ({
  key,
  attributes,
  ...(content === undefined ? {} : { content }),
})

function spooled(elements: IncomingElement[], uncertain: string[] = []): SpooledSnapshot {
  return {
    uuid: 'u-0000001',
    sequence: 5,
    takenAt: '2025-01-01T00:00:00Z',
    elements,
    notChecked: [],
    uncertain,
  }
}

function acknowledgedOf(elements: IncomingElement[], sequence = 4): AcknowledgedState {
  return { sequence, elements: Object.fromEntries(elements.map((e) => [e.key, elementDigest(e)])) }
}

test('a delta carries the added and changed elements and the removed keys, nothing unchanged', () => {
  const before = [
    element('file:/etc/hosts', '{"mode":"0644"}', '127.0.0.1 localhost\n'),
    element('file:/etc/motd', '{"mode":"0644"}'),
    element('user:alice', '{"uid":1000}'),
  ]
  const now = [
    element('file:/etc/hosts', '{"mode":"0644"}', '10.0.0.1 db\n'),
    element('file:/etc/motd', '{"mode":"0644"}'),
    element('user:bob', '{"uid":1001}'),
  ]
  const delta = deltaSnapshot(spooled(now), acknowledgedOf(before))
  assert.equal(delta.base, 4)
  assert.deepEqual(
    delta.elements.map((e) => e.key),
    ['file:/etc/hosts', 'user:bob'],
  )
  assert.deepEqual(delta.removed, ['user:alice'])
})

test('nothing acknowledged yet: the snapshot goes whole', () => {
  const whole = deltaSnapshot(spooled([element('user:root', '{"uid":0}')]), {
    sequence: 0,
    elements: {},
  })
  assert.equal(whole.base, null)
  assert.equal(whole.elements.length, 1)
  assert.deepEqual(whole.removed, [])
})

test('an element absent under an uncertain prefix is not sent as removed, and stays acknowledged', () => {
  const before = [element('file:/root/.ssh/authorized_keys', '{}'), element('user:alice', '{}')]
  const now = spooled([], ['file:/root/'])
  const delta = deltaSnapshot(now, acknowledgedOf(before))
  assert.deepEqual(delta.removed, ['user:alice'])
  assert.deepEqual(delta.uncertain, ['file:/root/'])
  const after = acknowledgedAfter(now, acknowledgedOf(before), 5)
  assert.deepEqual(Object.keys(after.elements), ['file:/root/.ssh/authorized_keys'])
  assert.equal(after.sequence, 5)
})

test('unverified attributes count as a change of the element', () => {
  const before = [element('file:/etc/shadow', '{"mode":"0640"}')]
  const now = [{ ...element('file:/etc/shadow', '{"mode":"0640"}'), unverified: ['sha256'] }]
  assert.equal(deltaSnapshot(spooled(now), acknowledgedOf(before)).elements.length, 1)
})

test('provenance goes with the changed files a delta or a resent whole snapshot sends', () => {
  const record = (path: string) => ({
    path,
    packageKey: 'package:curl',
    version: '2',
    algorithm: 'md5',
    recorded: 'a'.repeat(32),
    observed: 'a'.repeat(32),
  })
  const snapshot: SpooledSnapshot = {
    ...spooled([element('file:/usr/bin/curl', '{"sha256":"b"}'), element('file:/etc/motd', '{}')]),
    provenance: [record('/usr/bin/curl'), record('/usr/bin/gone')],
  }
  const acknowledged: AcknowledgedState = {
    sequence: 4,
    elements: { 'file:/etc/motd': elementDigest(element('file:/etc/motd', '{}')) },
  }
  const delta = deltaSnapshot(snapshot, acknowledged)
  assert.deepEqual(
    provenanceFor(snapshot, delta).map((r) => r.path),
    ['/usr/bin/curl'],
  )
  // Sent whole after the console refused the delta: still compared with the node's last one.
  assert.deepEqual(
    provenanceFor(snapshot, wholeSnapshot(snapshot)).map((r) => r.path),
    ['/usr/bin/curl'],
  )
  assert.deepEqual(provenanceFor({ ...snapshot, provenance: undefined }, delta), [])
})
