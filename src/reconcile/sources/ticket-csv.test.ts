import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatTicketProblem, parseTicketCsv } from './index.js'

const HEADER = 'ref,title,state,approver,window_start,window_end,nodes,elements'

function csv(...lines: string[]): string {
  return lines.join('\r\n') + '\r\n'
}

test('imports the good rows and names file:line and column for each malformed one', () => {
  const text = csv(
    HEADER,
    'CHG1,"Rotate TLS, nginx",approved,alice,2026-11-27T10:00:00+01:00,2026-11-27T12:00:00+01:00,web-* tag:pci,file:/etc/nginx/**;package:nginx*',
    'CHG2,Missing a column,approved,bob,2026-11-27T10:00:00Z,2026-11-27T12:00:00Z,web-01',
    'CHG3,Bad date,approved,bob,27/11/2026 10:00,2026-11-27T12:00:00Z,web-01,file:/etc/motd',
    'CHG4,Ends before it starts,approved,bob,2026-11-27T12:00:00Z,2026-11-27T10:00:00Z,web-01,file:/etc/motd',
    'CHG5,Unknown state,done,bob,2026-11-27T10:00:00Z,2026-11-27T12:00:00Z,web-01,file:/etc/motd',
    'CHG6,"Says ""hello""',
    'across lines",scheduled,carol,2026-11-28T10:00:00Z,2026-11-28T11:00:00Z,db-01,service:postgresql.service',
    'CHG7,"Never closed,approved,bob,,,web-01,file:/etc/motd',
    'CHG8,After the bad quote,requested,,,,group:edge,vm:web-*',
  )
  const result = parseTicketCsv(text, 'changes.csv')

  assert.deepEqual(
    result.tickets.map((ticket) => ticket.externalRef),
    ['CHG1', 'CHG6', 'CHG8'],
  )
  assert.deepEqual(result.tickets[0], {
    externalRef: 'CHG1',
    source: 'csv',
    title: 'Rotate TLS, nginx',
    state: 'approved',
    approver: 'alice',
    windowStart: '2026-11-27T09:00:00.000Z',
    windowEnd: '2026-11-27T11:00:00.000Z',
    nodes: ['web-*', 'tag:pci'],
    elements: ['file:/etc/nginx/**', 'package:nginx*'],
  })
  assert.equal(result.tickets[1]?.title, 'Says "hello"\r\nacross lines')
  const lines = result.problems.map(formatTicketProblem)
  assert.equal(lines.length, 5, lines.join('\n'))
  assert.match(
    lines[0] ?? '',
    /^changes\.csv:3: elements: expected 8 fields, found 7: missing elements$/,
  )
  assert.match(
    lines[1] ?? '',
    /^changes\.csv:4: window_start: expected an ISO 8601 date .*"27\/11\/2026 10:00"/,
  )
  assert.match(lines[2] ?? '', /^changes\.csv:5: window_end: ends .* before the window starts/)
  assert.match(
    lines[3] ?? '',
    /^changes\.csv:6: state: expected one of requested, approved, .*found "done"/,
  )
  assert.match(lines[4] ?? '', /^changes\.csv:9: title: a quoted field is never closed/)
})

test('a duplicate ref imports neither row and names both lines', () => {
  const result = parseTicketCsv(
    csv('ref,title,state', 'CHG1,First,approved', 'CHG2,Other,approved', 'CHG1,Second,rejected'),
    'dup.csv',
  )
  assert.deepEqual(
    result.tickets.map((ticket) => ticket.externalRef),
    ['CHG2'],
  )
  assert.deepEqual(result.problems.map(formatTicketProblem), [
    'dup.csv:2: ref: duplicate ticket CHG1 (also at dup.csv:4); none of its rows is imported',
    'dup.csv:4: ref: duplicate ticket CHG1 (also at dup.csv:2); none of its rows is imported',
  ])
})

test('a header without a required column is reported once, not on every row', () => {
  const result = parseTicketCsv('ref,title,nodes\nCHG1,a,web\nCHG2,b,db\n', 'no-state.csv')
  assert.deepEqual(result.tickets, [])
  assert.deepEqual(result.problems.map(formatTicketProblem), [
    'no-state.csv:1: state: required column missing from the header row',
  ])
})

test('reads LF files, columns in any order and case, and skips blank lines', () => {
  const result = parseTicketCsv(
    'State,Ref,Title\napproved,CHG9,Kernel update\n\nrejected,CHG10,"Open ssh, widely"\n',
    'plain.csv',
  )
  assert.deepEqual(
    result.tickets.map((ticket) => [ticket.externalRef, ticket.state, ticket.title]),
    [
      ['CHG9', 'approved', 'Kernel update'],
      ['CHG10', 'rejected', 'Open ssh, widely'],
    ],
  )
  assert.deepEqual(result.problems, [])
})

test('a stray quote inside an unquoted field costs only its row', () => {
  const result = parseTicketCsv(
    'ref,title,state\nCHG1,5" disk,approved\nCHG2,ok,approved\n',
    'q.csv',
  )
  assert.deepEqual(
    result.tickets.map((ticket) => ticket.externalRef),
    ['CHG2'],
  )
  assert.match(
    formatTicketProblem(result.problems[0]!),
    /^q\.csv:2: title: a quote inside an unquoted field/,
  )
})

test('a date without an offset, or that does not exist, is refused', () => {
  const result = parseTicketCsv(
    'ref,title,state,window_start\nCHG1,a,approved,2026-11-27T10:00:00\nCHG2,b,approved,2026-02-30T10:00:00Z\n',
    'dates.csv',
  )
  assert.deepEqual(result.tickets, [])
  assert.deepEqual(
    result.problems.map((problem) => problem.where),
    ['dates.csv:2', 'dates.csv:3'],
  )
})
