import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { parseGroup, splitMembers } from './group-file.js'

test('groups keep gid and members; the password field is dropped', () => {
  const problems: CollectionProblem[] = []
  const text = 'root:x:0:\nsudo:$6$grouphash:27:alice, bob,alice\nbad:x:zz:\nsudo:x:28:mallory\n'
  const groups = parseGroup(configLines(text, '/etc/group', problems), '/etc/group', problems)
  assert.deepEqual(groups, [
    { name: 'root', gid: 0, members: [], line: 1 },
    { name: 'sudo', gid: 27, members: ['alice', 'bob'], line: 2 },
  ])
  assert.deepEqual(
    problems.map((problem) => problem.path),
    ['/etc/group:3', '/etc/group:4'],
  )
  assert.ok(!JSON.stringify(groups).includes('grouphash'))
})

test('a member list with a name that is not a name rejects the line', () => {
  assert.deepEqual(splitMembers(''), [])
  assert.deepEqual(splitMembers('alice,,bob'), ['alice', 'bob'])
  assert.equal(splitMembers('alice,bad name'), undefined)
})
