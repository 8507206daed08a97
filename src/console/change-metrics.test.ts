import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { StoredChange } from '../store/index.js'
import { changeMetrics } from './change-metrics.js'

function change(
  id: number,
  nodeId: number,
  detectedAt: string,
  verdict: StoredChange['verdict'],
  scanMinutes = 60,
): StoredChange {
  return {
    id,
    nodeId,
    node: `node-${nodeId}`,
    key: `file:/etc/f${id}`,
    kind: 'modified',
    before: '{}',
    after: '{}',
    snapshotId: 2,
    previousSnapshotId: 1,
    detectedAt,
    // Scans `scanMinutes` apart, received 10 minutes after the second: by default 40 minutes from
    // the midpoint.
    previousScannedAt: new Date(Date.parse(detectedAt) - (10 + scanMinutes) * 60_000).toISOString(),
    scannedAt: new Date(Date.parse(detectedAt) - 10 * 60_000).toISOString(),
    status: verdict === 'authorized' ? 'promoted' : 'open',
    resolvedAt: null,
    resolvedBy: verdict === 'authorized' ? 'alice' : null,
    reason: null,
    verdict,
    ticketId: null,
    verdictReason: null,
    lifecycle: null,
    performedBy: null,
  }
}

test('unauthorized changes are counted per day and per node group, with days of none at 0', () => {
  const nodes = [
    { id: 1, tags: ['group:web', 'pci'] },
    { id: 2, tags: [] },
  ]
  const metrics = changeMetrics(
    [
      change(1, 1, '2026-11-25T10:00:00.000Z', 'unauthorized'),
      change(2, 1, '2026-11-25T11:00:00.000Z', 'authorized'),
      change(3, 2, '2026-11-27T09:00:00.000Z', 'unauthorized'),
      change(4, 2, '2026-11-27T09:30:00.000Z', 'pending', 180),
      // A node's first change has no scan before it: it has no time to detection.
      { ...change(5, 2, '2026-11-27T09:40:00.000Z', 'pending'), previousScannedAt: null },
    ],
    nodes,
    { from: '2026-11-25T00:00:00.000Z', to: '2026-11-28T00:00:00.000Z' },
  )
  assert.deepEqual(metrics.unauthorizedPerDay, [
    { day: '2026-11-25', count: 1 },
    { day: '2026-11-26', count: 0 },
    { day: '2026-11-27', count: 1 },
  ])
  assert.deepEqual(metrics.unauthorizedPerGroup, { web: 1, '(none)': 1 })
  assert.deepEqual(metrics.verdicts, { unauthorized: 2, authorized: 1, pending: 2 })
  // Three changes 40 minutes from their midpoint, one 100 (scans 3 hours apart): mean 55.
  assert.equal(metrics.meanMinutesToDetection, 55)
  assert.deepEqual(metrics.resolvedBy, { alice: 1 })
})
