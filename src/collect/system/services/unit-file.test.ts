import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CollectionProblem } from '../system-collector.js'
import { parseUnitFile, settingValues, settingWords } from './unit-file.js'

test('reads settings by section, with comments, continuations and repeated sections', () => {
  const problems: CollectionProblem[] = []
  const unit = parseUnitFile(
    [
      '# a comment',
      '[Unit]',
      'Description=Daily job\\',
      '; a comment inside the continued value is skipped',
      '  that continues',
      '',
      '[Install]',
      'WantedBy = multi-user.target  graphical.target',
      '[Install]',
      'Also=foo.socket',
    ].join('\n'),
    '/lib/systemd/system/daily.service',
    problems,
  )
  assert.deepEqual(problems, [])
  assert.deepEqual(settingValues(unit, 'Unit', 'Description'), ['Daily job that continues'])
  assert.deepEqual(settingWords(unit, 'Install', 'WantedBy'), [
    'multi-user.target',
    'graphical.target',
  ])
  assert.deepEqual(settingWords(unit, 'Install', 'Also'), ['foo.socket'])
})

test('an empty assignment clears the values before it, as systemd does for lists', () => {
  const unit = parseUnitFile(
    '[Timer]\nOnCalendar=daily\nOnCalendar=\nOnCalendar=weekly\n',
    '/t.timer',
    [],
  )
  assert.deepEqual(settingValues(unit, 'Timer', 'OnCalendar'), ['weekly'])
})

test('malformed lines become problems with their line number, without quoting the file', () => {
  const problems: CollectionProblem[] = []
  const unit = parseUnitFile(
    'Orphan=1\n[Service]\nsecret-token-without-equals\n[Broken\nExecStart=/bin/true\n',
    '/etc/systemd/system/x.service',
    problems,
  )
  assert.deepEqual(
    problems.map((p) => [p.path, p.reason]),
    [
      ['/etc/systemd/system/x.service:1', 'malformed'],
      ['/etc/systemd/system/x.service:3', 'malformed'],
      ['/etc/systemd/system/x.service:4', 'malformed'],
      ['/etc/systemd/system/x.service:5', 'malformed'],
    ],
  )
  assert.ok(problems.every((p) => !p.detail.includes('secret-token')))
  // After a broken header, settings belong to no section until the next good one.
  assert.equal(unit.sections.get('Service')?.length, 0)
})
