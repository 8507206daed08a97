import assert from 'node:assert/strict'
import { test } from 'node:test'
import { passwordState } from './password-state.js'

test('a bare ! or !! is locked: no password matches it', () => {
  assert.equal(passwordState('!'), 'locked')
  assert.equal(passwordState('!!'), 'locked')
  assert.equal(passwordState('*LK*'), 'locked')
  assert.equal(passwordState(''), 'empty')
  assert.equal(passwordState('$y$j9T$abc$def'), 'set')
})
