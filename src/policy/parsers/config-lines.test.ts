import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from './config-lines.js'
import { MAX_PROBLEMS, ProblemLog } from './problem-log.js'

const isHashComment = (trimmed: string) => trimmed.startsWith('#')

test('lines keep their numbers; blank lines, comments, CR and a byte order mark are dropped', () => {
  const log = new ProblemLog('/etc/x')
  assert.deepEqual(configLines('\ufeffa 1\r\n\r\n  # note\r\nb 2', '/etc/x', log, isHashComment), [
    { number: 1, text: 'a 1' },
    { number: 4, text: 'b 2' },
  ])
  assert.deepEqual(log.list(), [])
})

test('a line longer than 64 KB is skipped with a problem that gives its length, not its text', () => {
  const log = new ProblemLog('/etc/x')
  const lines = configLines(`${'A'.repeat(10 * 1024 * 1024)}\nb 2\n`, '/etc/x', log)
  assert.deepEqual(lines, [{ number: 2, text: 'b 2' }])
  assert.deepEqual(log.list(), [
    { path: '/etc/x:1', detail: 'line of 10485760 characters skipped' },
  ])
})

test('lines with control characters or undecodable bytes are skipped; comments may hold them', () => {
  const log = new ProblemLog('/etc/x')
  const text = 'a\u0000b\nBanner \u001b[2J\nname caf\ufffd\n# caf\ufffd in a comment\nok\tyes\f\n'
  assert.deepEqual(configLines(text, '/etc/x', log, isHashComment), [
    { number: 5, text: 'ok\tyes\f' },
  ])
  assert.deepEqual(
    log.list().map(({ path }) => path),
    ['/etc/x:1', '/etc/x:2', '/etc/x:3'],
  )
})

test('a flood of problems is listed up to a limit and then counted', () => {
  const log = new ProblemLog('/etc/x')
  configLines('\u0000\n'.repeat(MAX_PROBLEMS + 50), '/etc/x', log)
  const problems = log.list()
  assert.equal(problems.length, MAX_PROBLEMS + 1)
  assert.deepEqual(problems.at(-1), { path: '/etc/x', detail: '50 more problems not listed' })
})
