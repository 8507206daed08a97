import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ProgressReporter } from './progress.js'

function stream(isTTY: boolean): {
  write: (text: string) => void
  isTTY: boolean
  columns: number
  text: string
} {
  const sink = { isTTY, columns: 120, text: '', write: (text: string) => void (sink.text += text) }
  return sink
}

test('on a terminal progress is one live line with rates and an ETA, cleared at the end', () => {
  const terminal = stream(true)
  const reporter = new ProgressReporter(terminal, false)
  reporter.update({ entries: 500, bytes: 50 * 1024 * 1024, expectedEntries: 1000 })
  assert.match(
    terminal.text,
    /^\r.*scanning: 500 entries \([\d,]+\/s\), 50\.0 MB hashed \([\d.]+ [KMGT]?B\/s\), ETA \d+ s/,
  )
  reporter.finish()
  assert.match(terminal.text, /\r +\r$/)
  assert.ok(!terminal.text.includes('\n'), 'no new lines on a terminal')
})

test('elsewhere progress is plain lines, ending with the totals', () => {
  const log = stream(false)
  const reporter = new ProgressReporter(log, false)
  reporter.update({ entries: 10, bytes: 2048 })
  reporter.update({ entries: 20, bytes: 4096 })
  reporter.finish()
  const lines = log.text.trimEnd().split('\n')
  assert.ok(!log.text.includes('\r'))
  assert.match(lines.at(-1) ?? '', /^scanned: 20 entries .* 4\.0 KB hashed/)
})

test('--quiet prints nothing', () => {
  const log = stream(false)
  const reporter = new ProgressReporter(log, true)
  reporter.update({ entries: 10, bytes: 2048 })
  reporter.finish()
  assert.equal(log.text, '')
})

test('rates below a kilobyte are whole bytes, and a terminal without a width gets a full line', () => {
  const terminal = {
    isTTY: true,
    columns: 0,
    text: '',
    write: (text: string) => void (terminal.text += text),
  }
  const reporter = new ProgressReporter(terminal, false)
  reporter.update({ entries: 1, bytes: 19 })
  assert.match(terminal.text, /19 B hashed \([\d.]+ [KMGT]?B\/s\)/)
  assert.doesNotMatch(terminal.text, /\d\.\d\d/, 'no raw floating-point rates')
  assert.ok(terminal.text.length > 60, 'not cut to 20 columns')
})
