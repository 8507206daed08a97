import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { isoDateFromDays, parseShadow } from './shadow-file.js'

function parse(text: string): {
  entries: ReturnType<typeof parseShadow>
  problems: CollectionProblem[]
} {
  const problems: CollectionProblem[] = []
  const entries = parseShadow(configLines(text, '/etc/shadow', problems), '/etc/shadow', problems)
  return { entries, problems }
}

test('the password field is reduced to set, locked or empty, and no part of it is kept', () => {
  const { entries, problems } = parse(
    'alice:$6$NaCl4242$secrethashsecrethash:19000:1:90:7:30:20000:\n' +
      'locked:!$6$NaCl4242$secrethash:19000::::::\n' +
      'never:!:19000::::::\n' +
      'rhel:!!:19000::::::\n' +
      'system:*:19000::::::\n' +
      'nobody::19000::::::\n',
  )
  assert.deepEqual(problems, [])
  assert.deepEqual(entries.get('alice'), {
    name: 'alice',
    password: 'set',
    lastChange: 19000,
    minAge: 1,
    maxAge: 90,
    warnDays: 7,
    inactiveDays: 30,
    expires: 20000,
  })
  assert.deepEqual(
    [...entries.values()].map((entry) => [entry.name, entry.password]),
    [
      ['alice', 'set'],
      ['locked', 'locked'],
      ['never', 'locked'],
      ['rhel', 'locked'],
      ['system', 'locked'],
      ['nobody', 'empty'],
    ],
  )
  const kept = JSON.stringify([...entries.values()])
  assert.ok(!kept.includes('NaCl') && !kept.includes('secret') && !kept.includes('$6'))
})

test('a field that is not a day count is left out and reported without quoting the line', () => {
  const { entries, problems } = parse(
    'alice:$6$NaCl4242$secret:soon:0:99999:7:::\nbroken\nx:y:1:2:3:4:5:6:7:8:9\n',
  )
  assert.equal(entries.get('alice')?.lastChange, undefined)
  assert.equal(entries.get('alice')?.maxAge, 99999)
  assert.deepEqual(
    problems.map((problem) => [problem.path, problem.reason]),
    [
      ['/etc/shadow:1', 'malformed'],
      ['/etc/shadow:2', 'malformed'],
      ['/etc/shadow:3', 'malformed'],
    ],
  )
  assert.ok(problems.every((problem) => !problem.detail.includes('NaCl')))
  assert.equal(entries.has('broken'), false)
})

test('day counts become ISO dates', () => {
  assert.equal(isoDateFromDays(0), '1970-01-01')
  assert.equal(isoDateFromDays(19000), '2022-01-08')
})
