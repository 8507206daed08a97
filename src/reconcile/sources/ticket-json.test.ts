import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatTicketProblem, parseTicketJson } from './index.js'

test('imports the good objects and names the index and field of each bad one', () => {
  const text = JSON.stringify([
    {
      externalRef: 'CHG1',
      title: 'Rotate TLS',
      state: 'approved',
      approver: 'alice',
      approvedAt: '2026-11-26T16:00:00Z',
      windowStart: '2026-11-27T10:00:00+01:00',
      windowEnd: '2026-11-27T12:00:00+01:00',
      nodes: ['web-*', 'tag:pci'],
      elements: 'file:/etc/nginx/**; package:nginx*',
    },
    { externalRef: 'CHG2', state: 'approved' },
    { externalRef: 'CHG3', title: 'Bad date', state: 'approved', windowStart: 'tomorrow' },
    {
      externalRef: 'CHG4',
      title: 'Backwards',
      state: 'approved',
      windowStart: '2026-11-27T12:00:00Z',
      windowEnd: '2026-11-27T10:00:00Z',
    },
    { externalRef: 'CHG5', title: 'Unknown state', state: 'pending' },
    { externalRef: 'CHG6', title: 'Nodes as a number', state: 'approved', nodes: 7 },
    'not an object',
    { externalRef: 'CHG7', title: 'Requested', state: 'requested', nodes: [] },
  ])
  const result = parseTicketJson(text, 'tickets.json')

  assert.deepEqual(
    result.tickets.map((ticket) => ticket.externalRef),
    ['CHG1', 'CHG7'],
  )
  assert.deepEqual(result.tickets[0], {
    externalRef: 'CHG1',
    source: 'json',
    title: 'Rotate TLS',
    state: 'approved',
    approver: 'alice',
    approvedAt: '2026-11-26T16:00:00.000Z',
    windowStart: '2026-11-27T09:00:00.000Z',
    windowEnd: '2026-11-27T11:00:00.000Z',
    nodes: ['web-*', 'tag:pci'],
    elements: ['file:/etc/nginx/**', 'package:nginx*'],
  })
  assert.deepEqual(
    result.problems.map((problem) => `${problem.where} ${problem.field ?? '-'}`),
    [
      'tickets.json[1] title',
      'tickets.json[2] windowStart',
      'tickets.json[3] windowEnd',
      'tickets.json[4] state',
      'tickets.json[5] nodes',
      'tickets.json[6] -',
    ],
  )
  assert.match(
    formatTicketProblem(result.problems[4]!),
    /expected a list of patterns, found a number/,
  )
})

test('a file that is not JSON, or not an array, is one problem and no tickets', () => {
  const broken = parseTicketJson('[{"externalRef": "CHG1",', 'broken.json')
  assert.deepEqual(broken.tickets, [])
  assert.match(formatTicketProblem(broken.problems[0]!), /^broken\.json: not JSON: /)
  const object = parseTicketJson('{"externalRef": "CHG1"}', 'object.json')
  assert.deepEqual(object.problems.map(formatTicketProblem), [
    'object.json: expected an array of tickets',
  ])
})

test('a duplicate externalRef imports neither object', () => {
  const result = parseTicketJson(
    JSON.stringify([
      { externalRef: 'CHG1', title: 'a', state: 'approved' },
      { externalRef: 'CHG1', title: 'b', state: 'rejected' },
    ]),
    't.json',
  )
  assert.deepEqual(result.tickets, [])
  assert.deepEqual(
    result.problems.map((problem) => problem.where),
    ['t.json[0]', 't.json[1]'],
  )
})
