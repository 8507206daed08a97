import assert from 'node:assert/strict'
import { test } from 'node:test'
import { splitSshdLine } from './sshd-line.js'

test('keyword and arguments may be separated by blanks, = or both', () => {
  for (const line of [
    'MaxAuthTries 3',
    'MaxAuthTries=3',
    '  MaxAuthTries = 3',
    'MaxAuthTries\t= 3 ',
  ]) {
    assert.deepEqual(splitSshdLine(line), { keyword: 'MaxAuthTries', args: ['3'] }, line)
  }
})

test('quotes group words and are removed; backslash escapes quotes, backslashes and spaces', () => {
  assert.deepEqual(splitSshdLine(`SetEnv "A=x y" B='it''s' C=\\"q\\"`), {
    keyword: 'SetEnv',
    args: ['A=x y', 'B=its', 'C="q"'],
  })
})

test('blank and comment lines give nothing; a # that starts an argument ends the line', () => {
  assert.equal(splitSshdLine('   '), undefined)
  assert.equal(splitSshdLine('  # PermitRootLogin yes'), undefined)
  assert.deepEqual(splitSshdLine('AllowUsers alice#1 bob # admins'), {
    keyword: 'AllowUsers',
    args: ['alice#1', 'bob'],
  })
})

test('lines sshd rejects say why, and name their keyword', () => {
  const noArgument = { keyword: 'PermitRootLogin', error: 'no argument after the keyword' }
  assert.deepEqual(splitSshdLine('PermitRootLogin'), noArgument)
  assert.deepEqual(splitSshdLine('PermitRootLogin # no'), noArgument)
  assert.deepEqual(splitSshdLine('Banner "/etc/issue'), {
    keyword: 'Banner',
    error: 'a quote is not closed',
  })
  assert.deepEqual(splitSshdLine('= yes'), { error: 'a line starts with "=" instead of a keyword' })
})
