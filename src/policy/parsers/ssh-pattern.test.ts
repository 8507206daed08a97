import assert from 'node:assert/strict'
import { test } from 'node:test'
import { matchesSshPattern, matchSshPatternList } from './ssh-pattern.js'

test('* matches any run and ? one character, over the whole name', () => {
  assert.equal(matchesSshPattern('web-01.example.org', 'web-??.*'), true)
  assert.equal(matchesSshPattern('web-1.example.org', 'web-??.*'), false)
  assert.equal(matchesSshPattern('alice', 'ali'), false)
  assert.equal(matchesSshPattern('', '*'), true)
  assert.equal(matchesSshPattern('abcabd', '*abd'), true)
})

test('a list of negations alone matches nobody; a negation overrides a match', () => {
  assert.equal(matchSshPatternList('alice', '!root'), 0)
  assert.equal(matchSshPatternList('alice', '*,!root'), 1)
  assert.equal(matchSshPatternList('root', '*,!root'), -1)
  assert.equal(matchSshPatternList('root', '!root,*'), -1)
})

test('host names compare in lower case; user names do not', () => {
  assert.equal(matchSshPatternList('Build.Example.ORG', '*.example.org', true), 1)
  assert.equal(matchSshPatternList('Alice', 'alice'), 0)
})

test('a pattern built to backtrack finishes at once', () => {
  const started = performance.now()
  assert.equal(matchesSshPattern('a'.repeat(5000), `${'*a'.repeat(40)}b`), false)
  assert.ok(performance.now() - started < 1000)
})
