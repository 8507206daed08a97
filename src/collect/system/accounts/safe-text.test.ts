import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hasUnsafeCharacters, isSafeAccountName } from './safe-text.js'

test('terminal escapes, bidi overrides and zero-width characters are unsafe; tabs and accents are not', () => {
  assert.equal(hasUnsafeCharacters('alice\u001b[2J'), true)
  assert.equal(hasUnsafeCharacters('evil\u202egpj.exe'), true)
  assert.equal(hasUnsafeCharacters('ali\u200bce'), true)
  assert.equal(hasUnsafeCharacters('\u0085next line'), true)
  assert.equal(hasUnsafeCharacters('root\tALL=(ALL) ALL'), false)
  assert.equal(hasUnsafeCharacters('Zoë Müller,Room 2'), false)
})

test('an account name has no blank and no comma, which would fake a list entry', () => {
  assert.equal(isSafeAccountName('alice'), true)
  assert.equal(isSafeAccountName('svc-backup$'), true)
  assert.equal(isSafeAccountName(''), false)
  assert.equal(isSafeAccountName('a,b'), false)
  assert.equal(isSafeAccountName('a b'), false)
})
