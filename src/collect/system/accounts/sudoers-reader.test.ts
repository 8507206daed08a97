import assert from 'node:assert/strict'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { tempDir } from '../../../../test/support/temp-tree.js'
import { openTarget } from '../../../target/index.js'
import type { CollectionProblem } from '../system-collector.js'
import { MAX_INCLUDE_DEPTH, readSudoers, type SourcedSudoersEntry } from './sudoers-reader.js'

function rootWith(t: TestContext, files: Record<string, string>): string {
  const root = join(tempDir(t), 'root')
  mkdirSync(join(root, 'etc'), { recursive: true })
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

function read(root: string): { entries: SourcedSudoersEntry[]; problems: CollectionProblem[] } {
  const problems: CollectionProblem[] = []
  return { entries: readSudoers(openTarget({ root }), problems), problems }
}

function whoAndSource(entries: readonly SourcedSudoersEntry[]): string[] {
  return entries.flatMap((entry) =>
    entry.kind === 'rule' ? [`${entry.who.join()} ${entry.source}`] : [],
  )
}

test('includes are read in place, directories in sorted order, skipping names sudo skips', (t) => {
  const root = rootWith(t, {
    'etc/sudoers': 'root ALL=ALL\n@includedir /etc/sudoers.d\n#include local/extra\nlast ALL=ALL\n',
    'etc/sudoers.d/20-ops': 'ops ALL=ALL\n',
    'etc/sudoers.d/10-admins': 'admins ALL=ALL\n',
    'etc/sudoers.d/README': '# not a rule\n',
    'etc/sudoers.d/old~': 'backup ALL=ALL\n',
    'etc/sudoers.d/ops.dpkg-old': 'stale ALL=ALL\n',
    'etc/local/extra': 'extra ALL=ALL\n',
  })
  mkdirSync(join(root, 'etc/sudoers.d/subdir'))
  const { entries, problems } = read(root)
  assert.deepEqual(problems, [])
  assert.deepEqual(whoAndSource(entries), [
    'root /etc/sudoers',
    'admins /etc/sudoers.d/10-admins',
    'ops /etc/sudoers.d/20-ops',
    'extra /etc/local/extra',
    'last /etc/sudoers',
  ])
})

test('an includedir loop is a problem for that include, and every file is still read once', (t) => {
  const root = rootWith(t, {
    'etc/sudoers': '@includedir /etc/sudoers.d\n',
    'etc/sudoers.d/again': 'again ALL=ALL\n#includedir /etc/sudoers.d\n',
    'etc/sudoers.d/self': '@include /etc/sudoers.d/self\nself ALL=ALL\n',
  })
  const { entries, problems } = read(root)
  assert.deepEqual(whoAndSource(entries), [
    'again /etc/sudoers.d/again',
    'self /etc/sudoers.d/self',
  ])
  assert.deepEqual(problems, [
    {
      path: '/etc/sudoers.d/again:2',
      reason: 'include-loop',
      detail: '/etc/sudoers.d includes itself',
    },
    {
      path: '/etc/sudoers.d/self:1',
      reason: 'include-loop',
      detail: '/etc/sudoers.d/self includes itself',
    },
  ])
})

test('nesting deeper than sudo allows stops with a problem at the include that goes too deep', (t) => {
  const files: Record<string, string> = { 'etc/sudoers': '@include /etc/chain/0\n' }
  for (let level = 0; level < MAX_INCLUDE_DEPTH + 5; level++) {
    files[`etc/chain/${level}`] = `user${level} ALL=ALL\n@include ${level + 1}\n`
  }
  const { entries, problems } = read(rootWith(t, files))
  assert.equal(entries.length, MAX_INCLUDE_DEPTH)
  assert.deepEqual(problems, [
    {
      path: `/etc/chain/${MAX_INCLUDE_DEPTH - 1}:2`,
      reason: 'include-loop',
      detail: `more than ${MAX_INCLUDE_DEPTH} nested includes`,
    },
  ])
})

test('links through the include directory resolve inside the root and a loop through them ends', (t) => {
  const outside = tempDir(t, 'dw-outside-')
  writeFileSync(join(outside, 'rules'), 'outsider ALL=(ALL) NOPASSWD: ALL\n')
  const root = rootWith(t, {
    'etc/sudoers': '@includedir /etc/sudoers.d\n',
    'etc/sudoers.d/deeper': '@include x/deeper\ndeep ALL=ALL\n',
  })
  symlinkSync('.', join(root, 'etc/sudoers.d/x'))
  symlinkSync(join(outside, 'rules'), join(root, 'etc/sudoers.d/escape'))
  const { entries, problems } = read(root)
  assert.deepEqual(
    whoAndSource(entries),
    ['deep /etc/sudoers.d/deeper'],
    'nothing outside the root',
  )
  assert.deepEqual(problems, [
    {
      path: '/etc/sudoers.d/deeper:1',
      reason: 'include-loop',
      detail: '/etc/sudoers.d/x/deeper repeats a file that includes it (a loop through a link)',
    },
  ])
})

test('a missing included file is a problem; a missing include directory is not, as in sudo', (t) => {
  const root = rootWith(t, { 'etc/sudoers': '@include /etc/gone\n@includedir /etc/sudoers.d\n' })
  const { problems } = read(root)
  assert.deepEqual(problems, [
    {
      path: '/etc/sudoers:1',
      reason: 'unreadable',
      detail: 'included file /etc/gone does not exist',
    },
  ])
  assert.deepEqual(
    read(join(tempDir(t), '.')),
    { entries: [], problems: [] },
    'no sudo, no problem',
  )
})

test('a sudoers.d entry that links to /etc/shadow yields malformed lines, never its content', (t) => {
  const root = rootWith(t, {
    'etc/sudoers': 'root ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n',
    'etc/shadow': 'root:$6$pepper99$R00tHashR00tHash:19000:0:99999:7:::\nalice:!:19000::::::\n',
  })
  mkdirSync(join(root, 'etc/sudoers.d'))
  symlinkSync('/etc/shadow', join(root, 'etc/sudoers.d/x'))
  const { entries, problems } = read(root)
  assert.equal(entries.length, 1)
  assert.deepEqual(
    problems.map((problem) => [problem.path, problem.reason]),
    [
      ['/etc/sudoers.d/x:1', 'malformed'],
      ['/etc/sudoers.d/x:2', 'malformed'],
    ],
  )
  assert.doesNotMatch(JSON.stringify({ entries, problems }), /pepper|R00t|\$6\$|alice/)
})
