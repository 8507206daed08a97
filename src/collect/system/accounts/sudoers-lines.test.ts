import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sudoersLogicalLines } from './sudoers-lines.js'

function lines(text: string): { number: number; text: string }[] {
  return sudoersLogicalLines(
    text.split('\n').map((line, index) => ({ number: index + 1, text: line })),
  )
}

test('continued lines are joined and numbered by the line they start on', () => {
  assert.deepEqual(
    lines('Cmnd_Alias WEB = /bin/systemctl restart nginx, \\\n\t/bin/journalctl\nx'),
    [
      { number: 1, text: 'Cmnd_Alias WEB = /bin/systemctl restart nginx, /bin/journalctl' },
      { number: 3, text: 'x' },
    ],
  )
})

test('comments go, but #include, #includedir and #uid stay', () => {
  assert.deepEqual(
    lines('# comment\n#include /etc/extra\n#includedir /etc/sudoers.d\n#1000 ALL=ALL # why\n'),
    [
      { number: 2, text: '#include /etc/extra' },
      { number: 3, text: '#includedir /etc/sudoers.d' },
      { number: 4, text: '#1000 ALL=ALL' },
    ],
  )
})

test('a # inside quotes or escaped is no comment', () => {
  assert.deepEqual(lines('Defaults passprompt="pw # here"\nalice ALL = /bin/echo \\# x'), [
    { number: 1, text: 'Defaults passprompt="pw # here"' },
    { number: 2, text: 'alice ALL = /bin/echo \\# x' },
  ])
})

test('a comment does not continue onto the next line', () => {
  assert.deepEqual(lines('# note \\\nalice ALL=ALL'), [{ number: 2, text: 'alice ALL=ALL' }])
})
