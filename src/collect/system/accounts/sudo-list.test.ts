import assert from 'node:assert/strict'
import { test } from 'node:test'
import { joinSudoList, splitSudoList } from './sudo-list.js'

test('a joined list splits back into its items, escaped commas and quoted names included', () => {
  const items = ['ALL', '!/usr/bin/su', '/bin/echo a\\,b', '"%domain, users"']
  assert.deepEqual(splitSudoList(joinSudoList(items)), items)
  assert.deepEqual(splitSudoList('alice,bob'), ['alice', 'bob'])
  assert.deepEqual(splitSudoList(''), [])
})

test('a digest list stays with the command it guards', () => {
  assert.deepEqual(splitSudoList('sha256:abc=,sha256:def= /bin/ls, /bin/cat'), [
    'sha256:abc=,sha256:def= /bin/ls',
    '/bin/cat',
  ])
})
