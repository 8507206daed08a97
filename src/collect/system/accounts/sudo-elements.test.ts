import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { sudoersElements } from './sudo-elements.js'
import { parseSudoers } from './sudoers-parser.js'
import type { SourcedSudoersEntry } from './sudoers-reader.js'

function elementsOf(files: Record<string, string>): {
  elements: ReturnType<typeof sudoersElements>
  problems: CollectionProblem[]
} {
  const problems: CollectionProblem[] = []
  const entries: SourcedSudoersEntry[] = []
  for (const [path, text] of Object.entries(files)) {
    for (const entry of parseSudoers(configLines(text, path, problems), path, problems)) {
      if (entry.kind !== 'include') entries.push({ ...entry, source: path })
    }
  }
  return { elements: sudoersElements(entries, problems), problems }
}

test('a rule is keyed by who, hosts, run-as and commands, with tags and source as attributes', () => {
  const { elements } = elementsOf({
    '/etc/sudoers.d/deploy':
      'deploy   web1,web2 = (www-data)   NOPASSWD:SETENV: /usr/bin/rsync,/bin/systemctl reload nginx\n',
  })
  assert.deepEqual(elements, [
    {
      key: 'sudo-rule:deploy web1, web2=(www-data) /usr/bin/rsync, /bin/systemctl reload nginx',
      attributes: {
        who: 'deploy',
        hosts: 'web1, web2',
        runas: 'www-data',
        commands: '/usr/bin/rsync, /bin/systemctl reload nginx',
        tags: 'NOPASSWD,SETENV',
        nopasswd: true,
        source: '/etc/sudoers.d/deploy',
      },
    },
  ])
})

test('adding NOPASSWD to a rule changes its attributes, not its key', () => {
  const before = elementsOf({ '/etc/sudoers': 'alice ALL=(ALL) ALL\n' }).elements[0]
  const after = elementsOf({ '/etc/sudoers': '# moved down\n\nalice  ALL = (ALL) NOPASSWD: ALL\n' })
    .elements[0]
  assert.equal(before?.key, 'sudo-rule:alice ALL=(ALL) ALL')
  assert.equal(after?.key, before?.key)
  assert.deepEqual([before?.attributes['nopasswd'], after?.attributes['nopasswd']], [false, true])
  assert.equal(after?.attributes['source'], '/etc/sudoers', 'no line number: lines move')
})

test('Defaults lines and aliases are elements; the later of two equal rules is the one sudo applies', () => {
  const { elements, problems } = elementsOf({
    '/etc/sudoers': 'Defaults  env_reset\nUser_Alias ADMINS = alice, bob\nalice ALL=ALL\n',
    '/etc/sudoers.d/late': 'User_Alias ADMINS = mallory\nalice ALL = NOPASSWD: ALL\n',
  })
  assert.deepEqual(
    elements.map((element) => [element.key, element.attributes['source']]),
    [
      ['sudo-defaults:Defaults env_reset', '/etc/sudoers'],
      ['sudo-alias:User_Alias:ADMINS', '/etc/sudoers'],
      ['sudo-rule:alice ALL=(root) ALL', '/etc/sudoers.d/late'],
    ],
  )
  assert.equal(elements[1]?.attributes['members'], 'alice, bob', 'the first definition is used')
  assert.deepEqual(problems, [
    {
      path: '/etc/sudoers.d/late:1',
      reason: 'malformed',
      detail: 'User_Alias ADMINS is already defined; the first is used',
    },
  ])
})
