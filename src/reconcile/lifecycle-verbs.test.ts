import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChangeTicket } from './change-ticket.js'
import type { DetectedChange } from './detected-change.js'
import { reconcileChange } from './reconcile-change.js'
import { parseTicket } from './ticket-parser.js'

const startWebVms: ChangeTicket = {
  id: 'CHG-20',
  externalRef: null,
  title: 'start the web VMs',
  state: 'approved',
  approver: 'carol',
  approvedAt: '2025-03-01T08:00:00.000Z',
  window: { start: '2025-03-01T10:00:00.000Z', end: '2025-03-01T12:00:00.000Z' },
  scope: { nodes: ['name:web-*'], elements: ['vm:web-*'], verbs: ['created', 'started'] },
}

function vmChange(key: string, verbs?: string[]): DetectedChange {
  return {
    key,
    kind: 'modified',
    before: '{"state":"shutoff"}',
    after: '{"state":"running"}',
    node: { name: 'web-01', tags: [], groups: [] },
    previousScanAt: '2025-03-01T09:00:00.000Z',
    detectedAt: '2025-03-01T13:00:00.000Z',
    ...(verbs === undefined ? {} : { verbs }),
  }
}

test('a ticket with verbs authorizes the lifecycle changes it names, and only those', () => {
  assert.equal(
    reconcileChange(vmChange('vm:web-01', ['started']), [startWebVms]).verdict,
    'authorized',
  )
  const reconfigured = reconcileChange(vmChange('vm:web-01', ['started', 'reconfigured']), [
    startWebVms,
  ])
  assert.equal(reconfigured.verdict, 'unauthorized')
  assert.match(
    reconfigured.nearMisses[0]?.reasons[0]?.message ?? '',
    /the ticket authorizes created, started, and vm:web-01 was started, reconfigured/,
  )
  // A change that is no lifecycle event is not what a verb-limited ticket foresaw.
  assert.equal(reconcileChange(vmChange('vm:web-01'), [startWebVms]).verdict, 'unauthorized')
  // Without verbs, a ticket takes any change its patterns match.
  const anyVerb = { ...startWebVms, scope: { nodes: ['name:web-*'], elements: ['vm:web-*'] } }
  assert.equal(reconcileChange(vmChange('vm:web-01', ['deleted']), [anyVerb]).verdict, 'authorized')
})

test('a ticket naming an unknown verb is refused at the verb', () => {
  const parsed = parseTicket(
    { ...startWebVms, scope: { ...startWebVms.scope, verbs: ['started', 'exploded'] } },
    'api',
  )
  assert.equal(parsed.ok, false)
  assert.deepEqual(!parsed.ok && parsed.problems.map((problem) => problem.field), [
    'scope.verbs[1]',
  ])
  const good = parseTicket(startWebVms, 'api')
  assert.deepEqual(good.ok && good.ticket.scope.verbs, ['created', 'started'])
})
