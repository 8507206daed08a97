import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CollectionProblem } from '../system-collector.js'
import { parseHostname } from './hostname.js'
import { parseOsRelease } from './os-release.js'

test('reads os-release values bare, double-quoted with escapes, and single-quoted', () => {
  const problems: CollectionProblem[] = []
  const variables = parseOsRelease(
    [
      '# Rocky Linux, abridged',
      'NAME="Rocky Linux"',
      'ID=rocky',
      'ID_LIKE="rhel centos fedora"',
      'PRETTY_NAME="Say \\"hi\\" for \\$5"',
      "VARIANT='It''s'",
      "BUILD_ID='a \\ b'",
    ].join('\n'),
    '/etc/os-release',
    problems,
  )
  assert.equal(variables.get('NAME'), 'Rocky Linux')
  assert.equal(variables.get('ID'), 'rocky')
  assert.equal(variables.get('ID_LIKE'), 'rhel centos fedora')
  assert.equal(variables.get('PRETTY_NAME'), 'Say "hi" for $5')
  assert.equal(variables.get('BUILD_ID'), 'a \\ b', 'single quotes keep backslashes')
  assert.deepEqual(
    problems.map((p) => [p.path, p.detail]),
    [['/etc/os-release:6', 'unbalanced quotes']],
    "'It''s' is two strings run together, which os-release does not allow",
  )
})

test('malformed os-release lines are problems; the good lines still count', () => {
  const problems: CollectionProblem[] = []
  const variables = parseOsRelease(
    'ID=debian\nthis is not an assignment\nVERSION_ID="12\n1BAD=x\n',
    '/usr/lib/os-release',
    problems,
  )
  assert.deepEqual([...variables], [['ID', 'debian']])
  assert.deepEqual(
    problems.map((p) => p.path),
    ['/usr/lib/os-release:2', '/usr/lib/os-release:3', '/usr/lib/os-release:4'],
  )
})

test('the host name is the first line that is not a comment; junk is a problem', () => {
  assert.equal(
    parseHostname('# installer\n\n  web-01.example.org  \nignored\n', '/etc/hostname', []),
    'web-01.example.org',
  )
  const problems: CollectionProblem[] = []
  assert.equal(parseHostname('two words\n', '/etc/hostname', problems), undefined)
  assert.equal(parseHostname('# only a comment\n', '/etc/hostname', problems), undefined)
  assert.equal(parseHostname(`${'a'.repeat(65)}\n`, '/etc/hostname', problems), undefined)
  assert.deepEqual(
    problems.map((p) => [p.path, p.reason]),
    [
      ['/etc/hostname:1', 'malformed'],
      ['/etc/hostname', 'malformed'],
      ['/etc/hostname:1', 'malformed'],
    ],
  )
})
