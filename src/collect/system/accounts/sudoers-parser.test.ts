import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { parseSudoers, type SudoersEntry } from './sudoers-parser.js'

function parse(text: string): { entries: SudoersEntry[]; problems: CollectionProblem[] } {
  const problems: CollectionProblem[] = []
  const entries = parseSudoers(
    configLines(text, '/etc/sudoers', problems),
    '/etc/sudoers',
    problems,
  )
  return { entries, problems }
}

function rules(text: string): Omit<Extract<SudoersEntry, { kind: 'rule' }>, 'kind' | 'line'>[] {
  const { entries, problems } = parse(text)
  assert.deepEqual(problems, [])
  return entries.flatMap((entry) => {
    if (entry.kind !== 'rule') return []
    const { who, hosts, runas, commands, tags } = entry
    return [{ who, hosts, runas, commands, tags }]
  })
}

test('the distribution defaults parse into a rule for root and one for the sudo group', () => {
  assert.deepEqual(rules('root\tALL=(ALL:ALL) ALL\n%sudo   ALL=(ALL:ALL) ALL\n'), [
    { who: ['root'], hosts: ['ALL'], runas: 'ALL:ALL', commands: ['ALL'], tags: [] },
    { who: ['%sudo'], hosts: ['ALL'], runas: 'ALL:ALL', commands: ['ALL'], tags: [] },
  ])
})

test('each host = commands part separated by : is its own rule', () => {
  assert.deepEqual(
    rules('alice, bob web1 = (root) /bin/ls : db1,db2 = (postgres) NOPASSWD: /usr/bin/psql\n'),
    [
      { who: ['alice', 'bob'], hosts: ['web1'], runas: 'root', commands: ['/bin/ls'], tags: [] },
      {
        who: ['alice', 'bob'],
        hosts: ['db1', 'db2'],
        runas: 'postgres',
        commands: ['/usr/bin/psql'],
        tags: ['NOPASSWD'],
      },
    ],
  )
})

test('run-as lists and tags carry over to the commands after them, until changed', () => {
  assert.deepEqual(
    rules('ops ALL = (root) NOPASSWD: /bin/ls, /bin/cat, PASSWD: /bin/rm, (www-data) /bin/sh\n'),
    [
      {
        who: ['ops'],
        hosts: ['ALL'],
        runas: 'root',
        commands: ['/bin/ls', '/bin/cat'],
        tags: ['NOPASSWD'],
      },
      { who: ['ops'], hosts: ['ALL'], runas: 'root', commands: ['/bin/rm'], tags: ['PASSWD'] },
      { who: ['ops'], hosts: ['ALL'], runas: 'www-data', commands: ['/bin/sh'], tags: ['PASSWD'] },
    ],
  )
})

test('without a run-as list the rule runs as root; () and (:group) run as the invoking user', () => {
  assert.deepEqual(
    rules(
      'a ALL = /bin/ls\nb ALL = () /bin/ls\nc ALL = (:wheel) /bin/ls\nd ALL=(%:admins, #0) ALL\n',
    ).map((rule) => rule.runas),
    ['root', '', ':wheel', '%:admins, #0'],
  )
})

test('digests, options, escapes, negations and ids are part of what is written', () => {
  assert.deepEqual(
    rules(
      'alice ALL = sha256:0123abcd= /usr/bin/id, CWD=/srv NOEXEC: /bin/echo a\\,b\\:c\n' +
        '%#1000, #1001, ! bob, %:domain\\ admins ALL = ALL, !/usr/bin/su\n',
    ),
    [
      {
        who: ['alice'],
        hosts: ['ALL'],
        runas: 'root',
        commands: ['sha256:0123abcd= /usr/bin/id'],
        tags: [],
      },
      {
        who: ['alice'],
        hosts: ['ALL'],
        runas: 'root',
        commands: ['/bin/echo a\\,b\\:c'],
        tags: ['CWD=/srv', 'NOEXEC'],
      },
      {
        who: ['%#1000', '#1001', '!bob', '%:domain\\ admins'],
        hosts: ['ALL'],
        runas: 'root',
        commands: ['ALL', '!/usr/bin/su'],
        tags: [],
      },
    ],
  )
})

test('aliases, several per line, and Defaults lines as sudo reads them', () => {
  const { entries, problems } = parse(
    'User_Alias ADMINS = alice, %wheel : OPS = carol\n' +
      'Cmnd_Alias SHELLS = /bin/sh, /bin/bash\n' +
      'Defaults   env_reset\n' +
      'Defaults:ADMINS  !lecture , timestamp_timeout = 0\n' +
      'Defaults env_keep += "LANG  LC_ALL"\n' +
      '@includedir /etc/sudoers.d\n' +
      '#include "/etc/sudo ers.local"\n',
  )
  assert.deepEqual(problems, [])
  assert.deepEqual(entries, [
    {
      kind: 'alias',
      aliasType: 'User_Alias',
      name: 'ADMINS',
      members: ['alice', '%wheel'],
      line: 1,
    },
    { kind: 'alias', aliasType: 'User_Alias', name: 'OPS', members: ['carol'], line: 1 },
    {
      kind: 'alias',
      aliasType: 'Cmnd_Alias',
      name: 'SHELLS',
      members: ['/bin/sh', '/bin/bash'],
      line: 2,
    },
    { kind: 'defaults', text: 'Defaults env_reset', line: 3 },
    { kind: 'defaults', text: 'Defaults:ADMINS !lecture, timestamp_timeout=0', line: 4 },
    { kind: 'defaults', text: 'Defaults env_keep+="LANG LC_ALL"', line: 5 },
    { kind: 'include', path: '/etc/sudoers.d', directory: true, line: 6 },
    { kind: 'include', path: '/etc/sudo ers.local', directory: false, line: 7 },
  ])
})

test('a file that is not sudoers gives one problem per line, naming file:line and quoting nothing', () => {
  const shadow =
    'root:$6$Zq9Salt$k3yHashkeyHashkeyHash:19000:0:99999:7:::\n' +
    'alice:$y$j9T$Y3Salt$YesHashYesHash:19000:0:99999:7:::\n'
  const { entries, problems } = parse(shadow)
  assert.deepEqual(entries, [])
  assert.deepEqual(
    problems.map((problem) => [problem.path, problem.reason]),
    [
      ['/etc/sudoers:1', 'malformed'],
      ['/etc/sudoers:2', 'malformed'],
    ],
  )
  const reported = JSON.stringify(problems)
  for (const secret of ['Zq9Salt', 'k3yHash', 'Y3Salt', 'YesHash', 'root', 'alice', '$6$', '$y$']) {
    assert.ok(!reported.includes(secret), `the report holds no ${secret}`)
  }
})

test('syntax errors are reported per line and the other lines still count', () => {
  const { entries, problems } = parse(
    'alice ALL = (root /bin/ls\nUser_Alias lower = x\nDefaults\nbob ALL\nevil\u001b[31m ALL=ALL\ncarol ALL=ALL\n',
  )
  assert.deepEqual(
    entries.map((entry) => entry.kind === 'rule' && entry.who[0]),
    ['carol'],
  )
  assert.deepEqual(
    problems.map((problem) => problem.path),
    ['/etc/sudoers:1', '/etc/sudoers:2', '/etc/sudoers:3', '/etc/sudoers:4', '/etc/sudoers:5'],
  )
})
