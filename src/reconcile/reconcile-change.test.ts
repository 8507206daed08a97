import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChangeTicket } from './change-ticket.js'
import type { DetectedChange } from './detected-change.js'
import { reconcileChange, type Reconciliation } from './reconcile-change.js'

const web01 = { name: 'web-01', tags: ['env=prod', 'pci'], groups: ['frontend'] }

function ticket(id: string, overrides: Partial<ChangeTicket> = {}): ChangeTicket {
  return {
    id,
    externalRef: null,
    title: `ticket ${id}`,
    state: 'approved',
    approver: 'carol',
    approvedAt: '2025-03-01T08:00:00.000Z',
    window: { start: '2025-03-01T10:00:00.000Z', end: '2025-03-01T12:00:00.000Z' },
    scope: { nodes: ['name:web-*'], elements: ['file:/etc/nginx/**'] },
    ...overrides,
  }
}

/** A change between a scan at 09:00 and one at 13:00 (the window 10:00–12:00 lies inside). */
function change(overrides: Partial<DetectedChange> = {}): DetectedChange {
  return {
    key: 'file:/etc/nginx/nginx.conf',
    kind: 'modified',
    before: '{"type":"file","mode":"0644","sha256":"aa"}',
    after: '{"type":"file","mode":"0644","sha256":"bb"}',
    node: web01,
    previousScanAt: '2025-03-01T09:00:00.000Z',
    detectedAt: '2025-03-01T13:00:00.000Z',
    ...overrides,
  }
}

function missReasons(result: Reconciliation, ticketId: string): string[] {
  return (result.nearMisses.find((miss) => miss.ticketId === ticketId)?.reasons ?? []).map(
    (reason) => reason.aspect,
  )
}

test('an approved ticket authorizes the change and says which ticket', () => {
  const result = reconcileChange(change(), [ticket('CHG-1')])
  assert.equal(result.verdict, 'authorized')
  assert.equal(result.verdict === 'authorized' && result.ticketId, 'CHG-1')
  assert.deepEqual(result.nearMisses, [])
})

test('scheduled, implemented and closed tickets still authorize what they covered', () => {
  for (const state of ['scheduled', 'implemented', 'closed'] as const)
    assert.equal(reconcileChange(change(), [ticket('CHG-1', { state })]).verdict, 'authorized')
})

test('a rejected ticket never authorizes; the change is unauthorized and the rejection shown', () => {
  const result = reconcileChange(change(), [ticket('CHG-1', { state: 'rejected' })])
  assert.equal(result.verdict, 'unauthorized')
  assert.deepEqual(missReasons(result, 'CHG-1'), ['state'])
  assert.match(result.nearMisses[0]?.reasons[0]?.message ?? '', /rejected/)
})

test('a requested ticket that would cover the change leaves it pending its approval', () => {
  const result = reconcileChange(change(), [
    ticket('CHG-2', { state: 'requested', approver: null, approvedAt: null }),
  ])
  assert.equal(result.verdict, 'pending')
  assert.deepEqual(result.verdict === 'pending' && result.awaitingApproval, ['CHG-2'])
})

test('a ticket whose window ended before the previous scan is expired: unauthorized', () => {
  const expired = ticket('CHG-1', {
    window: { start: '2025-03-01T06:00:00.000Z', end: '2025-03-01T08:00:00.000Z' },
  })
  const result = reconcileChange(change(), [expired])
  assert.equal(result.verdict, 'unauthorized')
  assert.deepEqual(missReasons(result, 'CHG-1'), ['window'])
  assert.match(result.nearMisses[0]?.reasons[0]?.message ?? '', /ended at 2025-03-01T08:00/)
})

test('a ticket that expired weeks before is no near miss, unless the operator asks further back', () => {
  const old = ticket('CHG-1', {
    window: { start: '2025-02-10T10:00:00.000Z', end: '2025-02-10T12:00:00.000Z' },
  })
  const result = reconcileChange(change(), [old])
  assert.equal(result.verdict, 'unauthorized')
  assert.deepEqual(result.nearMisses, [])
  const further = reconcileChange(change(), [old], { nearMissHours: 24 * 30 })
  assert.deepEqual(missReasons(further, 'CHG-1'), ['window'])
})

test('a window that starts after the detecting scan does not cover the change', () => {
  const later = ticket('CHG-1', {
    window: { start: '2025-03-01T14:00:00.000Z', end: '2025-03-01T16:00:00.000Z' },
  })
  const result = reconcileChange(change(), [later])
  assert.equal(result.verdict, 'unauthorized')
  assert.match(result.nearMisses[0]?.reasons[0]?.message ?? '', /starts at .* after the scan/)
})

test('a window that overlaps the interval between the scans only partly covers the change', () => {
  // Window 10:00–12:00; scans at 11:30 and 15:00: the change may have been made at 11:45.
  const result = reconcileChange(
    change({ previousScanAt: '2025-03-01T11:30:00Z', detectedAt: '2025-03-01T15:00:00Z' }),
    [ticket('CHG-1')],
  )
  assert.equal(result.verdict, 'authorized')
})

test('the clock-skew allowance widens the window by that many minutes, and no more', () => {
  // The window ended at 12:00; the agent's clock put the previous scan at 12:03.
  const skewed = change({
    previousScanAt: '2025-03-01T12:03:00Z',
    detectedAt: '2025-03-01T18:00:00Z',
  })
  assert.equal(
    reconcileChange(skewed, [ticket('CHG-1')], { clockSkewMinutes: 5 }).verdict,
    'authorized',
  )
  assert.equal(
    reconcileChange(skewed, [ticket('CHG-1')], { clockSkewMinutes: 2 }).verdict,
    'unauthorized',
  )
  assert.equal(
    reconcileChange(skewed, [ticket('CHG-1')], { clockSkewMinutes: 0 }).verdict,
    'unauthorized',
  )
})

test('node scope takes a node in by name glob, tag or group, and keeps others out', () => {
  const byScope = (nodes: string[]) =>
    reconcileChange(change(), [ticket('T', { scope: { nodes, elements: ['file:/etc/nginx/**'] } })])
  assert.equal(byScope(['name:web-0[12]']).verdict, 'authorized')
  assert.equal(byScope(['tag:pci']).verdict, 'authorized')
  assert.equal(byScope(['group:frontend']).verdict, 'authorized')
  const outside = byScope(['name:db-*', 'tag:env=test', 'group:backend'])
  assert.equal(outside.verdict, 'unauthorized')
  assert.deepEqual(missReasons(outside, 'T'), ['node'])
  assert.match(outside.nearMisses[0]?.reasons[0]?.message ?? '', /node web-01 is not in name:db-\*/)
})

test('a change the ticket did not foresee stays unauthorized even on a node the ticket names', () => {
  const result = reconcileChange(change({ key: 'file:/etc/sudoers' }), [ticket('CHG-1')])
  assert.equal(result.verdict, 'unauthorized')
  assert.deepEqual(missReasons(result, 'CHG-1'), ['element'])
  assert.match(result.nearMisses[0]?.reasons[0]?.message ?? '', /did not foresee/)
})

test('element patterns: packages by name glob, services, VMs, and a port with a slash', () => {
  const scope = {
    nodes: ['name:*'],
    elements: ['package:nginx*', 'service:*', 'vm:web-*', 'port:tcp/*'],
  }
  const t = ticket('T', { scope })
  for (const key of ['package:nginx-common', 'service:nginx.service', 'vm:web-07', 'port:tcp/443'])
    assert.equal(reconcileChange(change({ key }), [t]).verdict, 'authorized', key)
  for (const key of ['package:openssh-server', 'vm:db-01', 'file:/etc/nginx/nginx.conf'])
    assert.equal(reconcileChange(change({ key }), [t]).verdict, 'unauthorized', key)
})

test('of overlapping tickets the narrowest pattern wins, whatever their order', () => {
  const broad = ticket('CHG-A', { scope: { nodes: ['name:web-*'], elements: ['file:/etc/**'] } })
  const narrow = ticket('CHG-B', {
    scope: { nodes: ['name:web-*'], elements: ['file:/etc/nginx/nginx.conf'] },
    approvedAt: '2025-03-01T09:30:00.000Z',
  })
  for (const order of [
    [broad, narrow],
    [narrow, broad],
  ]) {
    const result = reconcileChange(change(), order)
    assert.equal(result.verdict === 'authorized' && result.ticketId, 'CHG-B')
    assert.deepEqual(result.verdict === 'authorized' && result.alsoAuthorizedBy, ['CHG-A'])
  }
})

test('of equally narrow tickets the one approved first wins, then the smaller id', () => {
  const late = ticket('CHG-1', { approvedAt: '2025-03-01T09:00:00.000Z' })
  const early = ticket('CHG-2', { approvedAt: '2025-03-01T07:00:00.000Z' })
  const result = reconcileChange(change(), [late, early])
  assert.equal(result.verdict === 'authorized' && result.ticketId, 'CHG-2')
  const tie = reconcileChange(change(), [ticket('CHG-9'), ticket('CHG-3')])
  assert.equal(tie.verdict === 'authorized' && tie.ticketId, 'CHG-3')
})

test('a ticket approved after the change was detected reconciles it retroactively, and says so', () => {
  const result = reconcileChange(change(), [
    ticket('CHG-1', { approvedAt: '2025-03-02T09:00:00Z' }),
  ])
  assert.equal(result.verdict === 'authorized' && result.retroactive, true)
  assert.match(result.reasons.join('\n'), /retroactively/)
})

test('near misses name each reason; tickets that miss in two ways elsewhere are left out', () => {
  const tickets = [
    ticket('A-rejected-expired', {
      state: 'rejected',
      window: { start: '2025-03-01T05:00:00Z', end: '2025-03-01T06:00:00Z' },
    }),
    ticket('B-other-node', { scope: { nodes: ['name:db-*'], elements: ['file:/etc/nginx/**'] } }),
    // Another node and another element: nothing to do with this change.
    ticket('C-unrelated', { scope: { nodes: ['name:db-*'], elements: ['package:postgresql*'] } }),
  ]
  const result = reconcileChange(change(), tickets)
  assert.equal(result.verdict, 'unauthorized')
  assert.deepEqual(
    result.nearMisses.map((miss) => [miss.ticketId, miss.reasons.map((r) => r.aspect)]),
    [
      ['A-rejected-expired', ['state', 'window']],
      ['B-other-node', ['node']],
    ],
  )
})

test('a change no ticket comes near says so', () => {
  const result = reconcileChange(
    change({ node: { name: 'db-01', tags: [], groups: [] }, key: 'user:mallory' }),
    [ticket('CHG-1')],
  )
  assert.equal(result.verdict, 'unauthorized')
  assert.deepEqual(result.reasons, ['no ticket covers node db-01 and user:mallory'])
})

test('near misses are listed up to a limit, those for this node and element first, the rest counted', () => {
  const otherNodes = Array.from({ length: 12 }, (_, i) =>
    ticket(`N-${String(i).padStart(2, '0')}`, {
      scope: { nodes: ['name:db-*'], elements: ['file:/etc/nginx/**'] },
    }),
  )
  const rejected = ticket('Z-rejected', { state: 'rejected' })
  const result = reconcileChange(change(), [...otherNodes, rejected], { maxNearMisses: 5 })
  assert.deepEqual(
    result.nearMisses.map((miss) => miss.ticketId),
    ['Z-rejected', 'N-00', 'N-01', 'N-02', 'N-03'],
  )
  assert.equal(result.nearMissesOmitted, 8)
  assert.match(result.reasons.join('\n'), /13 came close/)
})
