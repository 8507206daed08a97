import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseTicket } from './ticket-parser.js'

const valid = {
  id: 'CHG-1',
  externalRef: 'CHG0031337',
  title: 'Renew the nginx certificate',
  state: 'approved',
  approver: 'carol',
  approvedAt: '2025-03-01T09:00:00+01:00',
  window: { start: '2025-03-01T10:00:00Z', end: '2025-03-01T12:00:00Z' },
  scope: { nodes: ['name:web-*', 'tag:pci', 'group:frontend'], elements: ['file:/etc/nginx/**'] },
}

test('a valid ticket comes back with its times in UTC', () => {
  const result = parseTicket(valid, 'api')
  assert.equal(result.ok, true)
  assert.equal(result.ok && result.ticket.approvedAt, '2025-03-01T08:00:00.000Z')
  assert.equal(result.ok && result.ticket.window.end, '2025-03-01T12:00:00.000Z')
})

test('every wrong field is named with the place the ticket came from', () => {
  const result = parseTicket(
    {
      ...valid,
      state: 'done',
      window: { start: '2025-03-01 10:00', end: '2025-03-01T09:00:00Z' },
      scope: { nodes: ['host:web-01'], elements: ['file:/etc/**', '/etc/passwd', 'file:!/etc'] },
      windows: {},
    },
    'tickets.csv:14',
  )
  assert.equal(result.ok, false)
  const fields = result.ok ? [] : result.problems.map((p) => `${p.place} ${p.field}`)
  assert.deepEqual(fields, [
    'tickets.csv:14 windows',
    'tickets.csv:14 state',
    'tickets.csv:14 window.start',
    'tickets.csv:14 scope.nodes[0]',
    'tickets.csv:14 scope.elements[1]',
    'tickets.csv:14 scope.elements[2]',
  ])
})

test('an approved ticket must say who approved it and when; a requested one need not', () => {
  const unsigned = parseTicket({ ...valid, approver: '', approvedAt: null }, 'api')
  assert.deepEqual(unsigned.ok ? [] : unsigned.problems.map((p) => p.field), [
    'approver',
    'approvedAt',
  ])
  const requested = parseTicket(
    { ...valid, state: 'requested', approver: null, approvedAt: null },
    'api',
  )
  assert.equal(requested.ok, true)
})

test('a window that ends before it starts, a timestamp without a zone and a non-object are refused', () => {
  const backwards = parseTicket(
    { ...valid, window: { start: '2025-03-01T12:00:00Z', end: '2025-03-01T10:00:00Z' } },
    'api',
  )
  assert.match(backwards.ok ? '' : (backwards.problems[0]?.message ?? ''), /after window.start/)
  const local = parseTicket({ ...valid, approvedAt: '2025-03-01T09:00:00' }, 'api')
  assert.deepEqual(local.ok ? [] : local.problems.map((p) => p.field), ['approvedAt'])
  assert.equal(parseTicket('CHG-1', 'api').ok, false)
})
