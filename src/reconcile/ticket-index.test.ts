import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChangeTicket, TicketState } from './change-ticket.js'
import type { DetectedChange } from './detected-change.js'
import { reconcileChange } from './reconcile-change.js'
import { TicketIndex } from './ticket-index.js'

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const HOUR = 3_600_000
const START = Date.parse('2025-03-01T00:00:00Z')
const STATES: TicketState[] = [
  'requested',
  'approved',
  'scheduled',
  'implemented',
  'closed',
  'rejected',
]
const NODE_SELECTORS = [
  'name:web-0*',
  'name:web-01',
  'name:db-*',
  'name:*',
  'tag:pci',
  'tag:env=prod',
  'group:frontend',
  'name:app-1[0-4]',
]
const ELEMENT_PATTERNS = [
  'file:/etc/nginx/**',
  'file:/etc/nginx/nginx.conf',
  'file:/etc/**',
  'file:/etc/ssh/sshd_config',
  'package:nginx*',
  'package:openssh-server',
  'service:*',
  'vm:web-*',
  'user:*',
  'file:/opt/app/*.conf',
]
const NODES = ['web-01', 'web-02', 'db-01', 'app-12', 'app-17'].map((name, i) => ({
  name,
  tags: i % 2 === 0 ? ['pci'] : ['env=prod'],
  groups: i < 2 ? ['frontend'] : [],
}))
const KEYS = [
  'file:/etc/nginx/nginx.conf',
  'file:/etc/nginx/conf.d/a.conf',
  'file:/etc/hosts',
  'file:/etc/ssh/sshd_config',
  'package:nginx-common',
  'package:openssh-server',
  'service:nginx.service',
  'vm:web-03',
  'user:alice',
  'file:/opt/app/x.conf',
  'file:/opt/app/sub/y.conf',
  'port:tcp/22',
]

function pick<T>(next: () => number, list: readonly T[]): T {
  return list[Math.floor(next() * list.length)] as T
}

function randomTickets(next: () => number, count: number): ChangeTicket[] {
  return Array.from({ length: count }, (_, i) => {
    const state = pick(next, STATES)
    const start = START + Math.floor(next() * 20 * 24) * HOUR
    // Mostly short windows, some spanning weeks (filed apart by the index).
    const length =
      next() < 0.1 ? Math.floor(next() * 40 * 24) * HOUR : (1 + Math.floor(next() * 8)) * HOUR
    const approved = state !== 'requested' && state !== 'rejected'
    return {
      id: `T-${String(i).padStart(4, '0')}`,
      externalRef: null,
      title: 'random',
      state,
      approver: approved ? 'carol' : null,
      approvedAt: approved ? new Date(start - Math.floor(next() * 48) * HOUR).toISOString() : null,
      window: { start: new Date(start).toISOString(), end: new Date(start + length).toISOString() },
      scope: {
        nodes: Array.from({ length: 1 + Math.floor(next() * 2) }, () => pick(next, NODE_SELECTORS)),
        elements: Array.from({ length: 1 + Math.floor(next() * 2) }, () =>
          pick(next, ELEMENT_PATTERNS),
        ),
      },
    }
  })
}

function randomChanges(next: () => number, count: number): DetectedChange[] {
  return Array.from({ length: count }, () => {
    const detected = START + Math.floor(next() * 22 * 24) * HOUR
    const interval = next() < 0.05 ? 90 * 24 * HOUR : (1 + Math.floor(next() * 24)) * HOUR
    return {
      key: pick(next, KEYS),
      kind: 'modified' as const,
      before: '{}',
      after: '{}',
      node: pick(next, NODES),
      previousScanAt: new Date(detected - interval).toISOString(),
      detectedAt: new Date(detected).toISOString(),
    }
  })
}

test('the index gives exactly the verdicts, tickets and near misses of a scan of every ticket', () => {
  const next = random(20250301)
  const tickets = randomTickets(next, 400)
  const index = new TicketIndex(tickets)
  const verdicts = new Map<string, number>()
  for (const change of randomChanges(next, 2_000)) {
    for (const clockSkewMinutes of [0, 30]) {
      const naive = reconcileChange(change, tickets, { clockSkewMinutes })
      const indexed = index.reconcile(change, { clockSkewMinutes })
      assert.deepEqual(indexed, naive, JSON.stringify(change))
      verdicts.set(naive.verdict, (verdicts.get(naive.verdict) ?? 0) + 1)
    }
  }
  // The sample exercises every verdict a ticket can give.
  for (const verdict of ['authorized', 'pending', 'unauthorized'])
    assert.ok((verdicts.get(verdict) ?? 0) > 50, `${verdict}: ${verdicts.get(verdict) ?? 0}`)
})

test('the index hands reconciliation a fraction of the tickets', () => {
  const next = random(7)
  const tickets = randomTickets(next, 400)
  const index = new TicketIndex(tickets)
  const change = { ...randomChanges(next, 1)[0]!, key: 'user:alice', node: NODES[2]! }
  assert.ok(index.candidates(change).length < tickets.length / 4)
  assert.equal(index.size, 400)
})
