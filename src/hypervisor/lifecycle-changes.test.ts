import assert from 'node:assert/strict'
import { test } from 'node:test'
import type {
  HypervisorInventory,
  HypervisorProblem,
  VmRecord,
  VmState,
} from './hypervisor-connector.js'
import { lifecycleChanges } from './lifecycle-changes.js'

function vm(name: string, uuid: string, state: VmState, memory = 1024, sha = 'a'): VmRecord {
  return {
    uuid,
    name,
    state,
    macs: [],
    elements: [
      { key: `vm:${name}`, attributes: { uuid, state, memory_kib: memory } },
      { key: `vm-config:${uuid}`, attributes: { sha256: sha }, content: sha },
    ],
  }
}

function inventory(
  vms: VmRecord[],
  options: { complete?: boolean; problems?: HypervisorProblem[] } = {},
): HypervisorInventory {
  return {
    kind: 'libvirt',
    uri: 'test:///default',
    hostname: 'kvm1',
    takenAt: '2026-01-01T00:00:00Z',
    elements: [],
    vms,
    problems: options.problems ?? [],
    complete: options.complete ?? true,
  }
}

test('a new VM is created, a gone one deleted, each with its state on the side it exists', () => {
  const changes = lifecycleChanges(
    inventory([vm('old', 'u1', 'shutoff')]),
    inventory([vm('new', 'u2', 'running')]),
  )
  assert.deepEqual(changes, [
    { verb: 'created', vmUuid: 'u2', vmName: 'new', before: null, after: 'running' },
    { verb: 'deleted', vmUuid: 'u1', vmName: 'old', before: 'shutoff', after: null },
  ])
})

test('power states give started, stopped, paused and resumed with before → after', () => {
  const before = inventory([
    vm('a', 'u1', 'shutoff'),
    vm('b', 'u2', 'running'),
    vm('c', 'u3', 'running'),
    vm('d', 'u4', 'paused'),
    vm('e', 'u5', 'paused'),
    vm('f', 'u6', 'running'),
  ])
  const after = inventory([
    vm('a', 'u1', 'running'),
    vm('b', 'u2', 'shutoff'),
    vm('c', 'u3', 'paused'),
    vm('d', 'u4', 'running'),
    vm('e', 'u5', 'shutoff'),
    vm('f', 'u6', 'crashed'),
  ])
  assert.deepEqual(
    lifecycleChanges(before, after).map((c) => `${c.vmName} ${c.verb} ${c.before}→${c.after}`),
    [
      'a started shutoff→running',
      'b stopped running→shutoff',
      'c paused running→paused',
      'd resumed paused→running',
      'e stopped paused→shutoff',
      'f stopped running→crashed',
    ],
  )
})

test('a changed setting is reconfigured, naming each changed attribute; the state is not one', () => {
  const changes = lifecycleChanges(
    inventory([vm('db', 'u1', 'shutoff', 1024, 'old')]),
    inventory([vm('db', 'u1', 'running', 2048, 'new')]),
  )
  assert.deepEqual(changes, [
    {
      verb: 'reconfigured',
      vmUuid: 'u1',
      vmName: 'db',
      before: 'memory_kib=1024, sha256=old',
      after: 'memory_kib=2048, sha256=new',
    },
    { verb: 'started', vmUuid: 'u1', vmName: 'db', before: 'shutoff', after: 'running' },
  ])
})

test('a rename is matched by UUID: renamed, not deleted and created, and not reconfigured', () => {
  const changes = lifecycleChanges(
    inventory([vm('web-old', 'u1', 'shutoff')]),
    inventory([vm('web-new', 'u1', 'shutoff')]),
  )
  assert.deepEqual(changes, [
    { verb: 'renamed', vmUuid: 'u1', vmName: 'web-new', before: 'web-old', after: 'web-new' },
  ])
})

test('a definition that differs only by the new name is not reconfigured; one more change is', () => {
  const named = (name: string, extra = ''): VmRecord => {
    const record = vm(name, 'u1', 'shutoff')
    const content = `<domain><name>${name}</name>${extra}</domain>`
    return {
      ...record,
      elements: [
        record.elements[0]!,
        { key: 'vm-config:u1', attributes: { sha256: content.length + extra }, content },
      ],
    }
  }
  assert.deepEqual(
    lifecycleChanges(inventory([named('a')]), inventory([named('b')])).map((c) => c.verb),
    ['renamed'],
  )
  assert.deepEqual(
    lifecycleChanges(inventory([named('a')]), inventory([named('b', '<vcpu>2</vcpu>')])).map(
      (c) => c.verb,
    ),
    ['renamed', 'reconfigured'],
  )
})

test('nothing is deleted from an incomplete inventory', () => {
  assert.deepEqual(
    lifecycleChanges(inventory([vm('a', 'u1', 'running')]), inventory([], { complete: false })),
    [],
  )
})

test('a VM a problem names (vanished mid-scan) is neither deleted now nor created later', () => {
  const vanished: HypervisorProblem = {
    place: 'domain:a',
    reason: 'vanished',
    detail: 'listed, then gone',
    vmUuid: 'u1',
  }
  const before = inventory([vm('a', 'u1', 'running')])
  const during = inventory([], { problems: [vanished] })
  assert.deepEqual(lifecycleChanges(before, during), [])
  assert.deepEqual(lifecycleChanges(during, inventory([vm('a', 'u1', 'running')])), [])
})

test('settings unverified on either side are not compared', () => {
  const unreadable: VmRecord = {
    ...vm('a', 'u1', 'running'),
    elements: [
      {
        key: 'vm:a',
        attributes: { uuid: 'u1', state: 'running', memory_kib: null },
        unverified: ['memory_kib'],
      },
      { key: 'vm-config:u1', attributes: { sha256: 'a' }, content: 'a' },
    ],
  }
  assert.deepEqual(
    lifecycleChanges(inventory([vm('a', 'u1', 'running')]), inventory([unreadable])),
    [],
  )
})

test('an unknown state is no state change', () => {
  assert.deepEqual(
    lifecycleChanges(inventory([vm('a', 'u1', 'running')]), inventory([vm('a', 'u1', 'unknown')])),
    [],
  )
})
