import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { AttributeValue, Element } from '../../../model/index.js'
import { analyzePrivilegedAccess, type PrivilegedAccess } from './privileged-access.js'

function user(
  name: string,
  uid: number,
  gid = uid,
  shell = '/bin/bash',
  password = 'set',
): Element {
  return { key: `user:${name}`, attributes: { uid, gid, home: `/home/${name}`, shell, password } }
}
function group(name: string, gid: number, members: string[] = []): Element {
  return { key: `group:${name}`, attributes: { gid, members: members.sort().join(',') } }
}
function rule(
  who: string,
  runas: string,
  commands: string,
  extra: Record<string, AttributeValue> = {},
): Element {
  return {
    key: `sudo-rule:${who} ALL=(${runas}) ${commands}`,
    attributes: {
      who,
      hosts: 'ALL',
      runas,
      commands,
      tags: '',
      nopasswd: false,
      source: '/etc/sudoers',
      ...extra,
    },
  }
}
function alias(type: string, name: string, members: string): Element {
  return { key: `sudo-alias:${type}:${name}`, attributes: { members, source: '/etc/sudoers' } }
}

const BASE = [
  user('root', 0, 0),
  user('daemon', 1, 1, '/usr/sbin/nologin', 'locked'),
  user('alice', 1000),
  user('bob', 1001),
  user('carol', 1002),
  user('dave', 1003, 27),
  user('erin', 1004),
  user('libvirt-qemu', 64055, 64055, '/usr/sbin/nologin', 'locked'),
  group('root', 0),
  group('sudo', 27, ['alice']),
  group('docker', 999, ['bob']),
  group('kvm', 998, ['libvirt-qemu']),
  group('admins', 2000, ['carol', 'zoe']),
]

function via(access: PrivilegedAccess): Record<string, string> {
  return Object.fromEntries(
    access.identities.map((identity) => [identity.name, identity.via.join(',')]),
  )
}

test('uid 0 and root-equivalent groups, supplementary or primary, make an identity privileged', () => {
  const access = analyzePrivilegedAccess(BASE)
  assert.deepEqual(via(access), {
    root: 'uid-0',
    alice: 'group:sudo',
    bob: 'group:docker',
    dave: 'group:sudo',
    'libvirt-qemu': 'group:kvm',
  })
  const dave = access.identities.find((identity) => identity.name === 'dave')
  assert.deepEqual(dave?.evidence, ['primary group sudo'])
  assert.deepEqual(
    access.identities.filter((identity) => identity.countsAsAdmin).map((identity) => identity.name),
    ['alice', 'bob', 'dave'],
    'root and system accounts are not counted as administrators',
  )
})

test('sudo rules granting ALL as root expand %group, User_Alias and ALL, and honour negation', () => {
  const access = analyzePrivilegedAccess([
    ...BASE,
    rule('%admins', 'ALL:ALL', 'ALL'),
    alias('User_Alias', 'OPS', 'erin, NESTED'),
    alias('User_Alias', 'NESTED', 'frank, !bob'),
    rule('OPS', 'root', 'ALL', { nopasswd: true }),
    rule('%:domain admins', 'ALL', 'ALL'),
  ])
  const found = via(access)
  assert.equal(found['carol'], 'sudo-all', 'member of %admins')
  assert.equal(found['zoe'], 'sudo-all', 'a member /etc/group lists without a passwd entry')
  assert.equal(found['%admins'], 'sudo-all', 'the group itself, for members no file lists')
  assert.equal(found['erin'], 'sudo-all', 'through User_Alias OPS')
  assert.equal(found['frank'], 'sudo-all', 'a directory user, through a nested alias')
  assert.equal(found['bob'], 'group:docker', 'negated in the alias: no sudo-all')
  assert.equal(found['%:domain admins'], 'sudo-all')
  const erin = access.identities.find((identity) => identity.name === 'erin')
  assert.deepEqual(erin?.evidence, ['sudo rule OPS ALL=(root) ALL (/etc/sudoers, NOPASSWD)'])
  assert.equal(access.identities.find((identity) => identity.name === 'frank')?.countsAsAdmin, true)

  const everyone = via(analyzePrivilegedAccess([...BASE, rule('ALL', 'ALL', 'ALL')]))
  assert.equal(everyone['ALL'], 'sudo-all')
  assert.equal(everyone['erin'], 'sudo-all')
  assert.equal(everyone['daemon'], 'sudo-all')
})

test('only rules that run everything, or a shell, as root count', () => {
  const found = via(
    analyzePrivilegedAccess([
      ...BASE,
      rule('erin', 'www-data', 'ALL'),
      rule('erin', ':wheel', 'ALL'),
      rule('erin', '', 'ALL'),
      rule('erin', 'root', '/usr/bin/apt update, !ALL'),
      alias('Runas_Alias', 'DB', 'postgres'),
      rule('erin', 'DB', 'ALL'),
      rule('frank', 'root', 'ALL, !/usr/bin/su'),
      alias('Cmnd_Alias', 'EVERYTHING', 'ALL'),
      alias('Runas_Alias', 'SUPER', '#0'),
      rule('grace', 'SUPER', 'EVERYTHING'),
      rule('heidi', 'root', 'sha256:abc= /usr/bin/bash'),
      rule('ivan', 'root', '!EVERYTHING'),
    ]),
  )
  assert.equal(found['erin'], undefined, 'another user, the invoking user, or a named command')
  assert.equal(found['frank'], 'sudo-all', 'a negated command is trivially bypassed: still ALL')
  assert.equal(found['grace'], 'sudo-all', 'through Runas_Alias and Cmnd_Alias')
  assert.equal(found['heidi'], 'sudo-shell')
  assert.equal(found['ivan'], undefined)
})

test("root's SSH keys are identities of their own", () => {
  const access = analyzePrivilegedAccess([
    ...BASE,
    user('toor', 0, 0, '/bin/sh'),
    {
      key: 'ssh-key:toor:SHA256:abc',
      attributes: {
        keyType: 'ssh-ed25519',
        comment: 'mallory@laptop',
        options: '',
        file: '/root/.ssh/authorized_keys',
      },
    },
    {
      key: 'ssh-key:alice:SHA256:def',
      attributes: {
        keyType: 'ssh-ed25519',
        comment: '',
        options: '',
        file: '/home/alice/.ssh/authorized_keys',
      },
    },
  ])
  const key = access.identities.find((identity) => identity.kind === 'ssh-key')
  assert.deepEqual(key, {
    name: 'ssh-key:SHA256:abc',
    kind: 'ssh-key',
    via: ['root-ssh-key'],
    evidence: ['authorized for toor in /root/.ssh/authorized_keys (mallory@laptop)'],
    countsAsAdmin: false,
  })
  assert.equal(access.identities.filter((identity) => identity.kind === 'ssh-key').length, 1)
})

test('ghost accounts: a second uid 0, an empty password, a system account with a login shell', () => {
  const access = analyzePrivilegedAccess([
    ...BASE,
    user('toor', 0, 0, '/bin/sh', 'empty'),
    user('backup', 34, 34, ''),
    user('sync', 4, 65534, '/bin/sync'),
    user('games', 5, 60, '/usr/sbin/nologin'),
    user('nobody', 65534, 65534, '/bin/bash', 'locked'),
  ])
  assert.deepEqual(
    access.ghosts.map((ghost) => [ghost.account, ghost.finding]),
    [
      ['backup', 'system-login-shell'],
      ['nobody', 'system-login-shell'],
      ['toor', 'empty-password'],
      ['toor', 'system-login-shell'],
      ['toor', 'uid-0'],
    ],
  )
  const backup = access.ghosts.find((ghost) => ghost.account === 'backup')
  assert.equal(
    backup?.detail,
    'system account (uid 34) with the login shell /bin/sh',
    'empty means /bin/sh',
  )
})

test('the administrator count is judged against the bounds', () => {
  assert.deepEqual(analyzePrivilegedAccess(BASE).admins, {
    count: 3,
    min: 2,
    max: 10,
    verdict: 'ok',
  })
  assert.equal(analyzePrivilegedAccess([user('root', 0)]).admins.verdict, 'too-few')
  assert.equal(analyzePrivilegedAccess(BASE, { min: 0, max: 2 }).admins.verdict, 'too-many')
  assert.deepEqual(analyzePrivilegedAccess([]).admins, {
    count: 0,
    min: 2,
    max: 10,
    verdict: 'too-few',
  })
})
