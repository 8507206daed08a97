import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChangeTicket } from './change-ticket.js'
import { verifyTicket, type VerificationChange } from './ticket-verification.js'

const TICKET: ChangeTicket = {
  id: 'CHG-9',
  externalRef: null,
  title: 'nginx TLS',
  state: 'closed',
  approver: 'carol',
  approvedAt: '2026-11-27T08:00:00.000Z',
  window: { start: '2026-11-27T10:00:00.000Z', end: '2026-11-27T12:00:00.000Z' },
  scope: {
    nodes: ['name:web-*'],
    elements: ['file:/etc/nginx/nginx.conf', 'file:/etc/nginx/conf.d/tls.conf'],
  },
}
const web01 = { name: 'web-01', tags: [], groups: [] }
const web02 = { name: 'web-02', tags: [], groups: [] }
const db01 = { name: 'db-01', tags: [], groups: [] }

function change(
  id: number,
  node: typeof web01,
  key: string,
  verdict: string,
  by: string | null,
  at = '11:00',
): VerificationChange {
  return {
    id,
    node,
    key,
    kind: 'modified',
    verdict,
    authorizedBy: by,
    previousScanAt: `2026-11-27T${at === '11:00' ? '10:30' : '15:00'}:00.000Z`,
    detectedAt: `2026-11-27T${at}:00.000Z`,
  }
}

test('a closed ticket reports what it changed, what it did not, and what else changed on its nodes', () => {
  const report = verifyTicket(
    TICKET,
    [web01, web02, db01],
    [
      change(1, web01, 'file:/etc/nginx/nginx.conf', 'authorized', 'CHG-9'),
      change(2, web02, 'file:/etc/nginx/nginx.conf', 'authorized', 'CHG-9'),
      change(3, web01, 'file:/etc/passwd', 'unauthorized', null),
      change(4, db01, 'file:/etc/passwd', 'unauthorized', null),
      change(5, web02, 'file:/etc/hosts', 'unauthorized', null, '16:00'),
    ],
  )
  assert.deepEqual(report.nodes, ['web-01', 'web-02'])
  assert.deepEqual(
    report.changed.map((c) => c.changeId),
    [1, 2],
  )
  assert.deepEqual(report.notChanged, ['file:/etc/nginx/conf.d/tls.conf'])
  // db-01 is not the ticket's node; the /etc/hosts change came after the window.
  assert.deepEqual(
    report.outsideScope.map((c) => [c.node, c.key]),
    [['web-01', 'file:/etc/passwd']],
  )
})
