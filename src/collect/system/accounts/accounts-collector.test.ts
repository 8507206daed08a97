// The accounts collector over whole root filesystems, friendly and hostile: every hostile input
// is a problem for what it concerns, never a crash, never a read outside the root, never a hash.
import assert from 'node:assert/strict'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { tempDir } from '../../../../test/support/temp-tree.js'
import type { Element } from '../../../model/index.js'
import { openTarget } from '../../../target/index.js'
import type { CollectorOutput, CommandRunner } from '../system-collector.js'
import { accountsCollector } from './accounts-collector.js'

const ROOT_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGcOJqgjxqz8WgKzD0b4sQ3Q2yA9NfM1fH3k8u2m9xYy mallory@laptop'
const ALICE_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIM9wkoI0gxx4FD1w8grrd+XCe939wHKEPcAuUTZnFfYi alice@laptop'
const SHADOW =
  'root:$6$RootSalt$RootHashRootHash:19000:0:99999:7:::\n' +
  'alice:$y$j9T$AliceSalt$AliceHash:19500:0:90:7:::\n'

/** Accounts never run programs: any call is a bug. */
const NO_COMMANDS: CommandRunner = {
  run: () => {
    throw new Error('the accounts collector ran a program')
  },
}

function buildRoot(t: TestContext, files: Record<string, string | Buffer>): string {
  const root = join(tempDir(t), 'root')
  mkdirSync(join(root, 'etc'), { recursive: true })
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), content)
  }
  return root
}

function collect(root: string): CollectorOutput & { byKey: Map<string, Element> } {
  const output = accountsCollector.collect({ target: openTarget({ root }), commands: NO_COMMANDS })
  return { ...output, byKey: new Map(output.elements.map((element) => [element.key, element])) }
}

function assertNoSecrets(output: CollectorOutput, ...secrets: string[]): void {
  const everything = JSON.stringify(output)
  for (const secret of [
    'RootSalt',
    'RootHash',
    'AliceSalt',
    'AliceHash',
    '$6$',
    '$y$',
    ...secrets,
  ]) {
    assert.ok(!everything.includes(secret), `nothing collected holds ${secret}`)
  }
}

test('a root filesystem gives users, groups, keys, sudo rules and who can act as root', (t) => {
  const root = buildRoot(t, {
    'etc/passwd':
      'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\n' +
      'bob:x:1001:1001:Bob:/home/bob:/bin/bash\n',
    'etc/shadow': SHADOW,
    'etc/group': 'root:x:0:\nsudo:x:27:alice\nalice:x:1000:\nbob:x:1001:\n',
    'etc/gshadow': 'sudo:!:alice:alice\n',
    'etc/sudoers':
      'Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n',
    'etc/sudoers.d/bob': 'bob ALL=(root) NOPASSWD: /usr/bin/systemctl restart nginx\n',
    'root/.ssh/authorized_keys': `${ROOT_KEY}\n`,
    'home/alice/.ssh/authorized_keys2': `no-pty ${ALICE_KEY}\n`,
  })
  const output = collect(root)
  assert.deepEqual(output.problems, [])
  assert.deepEqual([...output.byKey.keys()].sort(), [
    'group:alice',
    'group:bob',
    'group:root',
    'group:sudo',
    'privileged:%sudo',
    'privileged:alice',
    'privileged:root',
    'privileged:ssh-key:SHA256:s2MOljTGAzg0py8eOUPhbtifMF2iqDitnA2VXEcydD0',
    'ssh-key:alice:SHA256:Sg5jfhDlS3NDT1uDt7iBk4vJECCI2Gpcfc+kd2KjkzM',
    'ssh-key:root:SHA256:s2MOljTGAzg0py8eOUPhbtifMF2iqDitnA2VXEcydD0',
    'sudo-defaults:Defaults env_reset',
    'sudo-rule:%sudo ALL=(ALL:ALL) ALL',
    'sudo-rule:bob ALL=(root) /usr/bin/systemctl restart nginx',
    'sudo-rule:root ALL=(ALL:ALL) ALL',
    'user:alice',
    'user:bob',
    'user:root',
  ])
  assert.deepEqual(output.byKey.get('user:alice')?.attributes, {
    uid: 1000,
    gid: 1000,
    group: 'alice',
    home: '/home/alice',
    shell: '/bin/bash',
    gecos: 'Alice',
    password: 'set',
    lastChange: '2023-05-23',
    minAge: 0,
    maxAge: 90,
    warnDays: 7,
    groups: 'sudo',
  })
  assert.deepEqual(output.byKey.get('group:sudo')?.attributes, {
    gid: 27,
    members: 'alice',
    admins: 'alice',
  })
  assert.deepEqual(
    output.byKey.get('ssh-key:alice:SHA256:Sg5jfhDlS3NDT1uDt7iBk4vJECCI2Gpcfc+kd2KjkzM')
      ?.attributes,
    {
      keyType: 'ssh-ed25519',
      comment: 'alice@laptop',
      options: 'no-pty',
      file: '/home/alice/.ssh/authorized_keys2',
    },
  )
  assert.deepEqual(output.byKey.get('privileged:alice')?.attributes, {
    kind: 'user',
    via: 'group:sudo,sudo-all',
  })
  assert.deepEqual(output.byKey.get('privileged:root')?.attributes, {
    kind: 'user',
    via: 'sudo-all,uid-0',
  })
  assert.equal(output.byKey.has('privileged:bob'), false, 'restarting nginx is not root')
  assertNoSecrets(output)
})

test('a 10 MB line in /etc/passwd is a problem for that line; the other accounts are read', (t) => {
  const long = `${'x'.repeat(10 * 1024 * 1024)}:x:1:1::/:/bin/sh`
  const root = buildRoot(t, {
    'etc/passwd': `root:x:0:0:root:/root:/bin/bash\n${long}\nalice:x:1000:1000::/home/alice:/bin/bash\n`,
  })
  const output = collect(root)
  assert.deepEqual(output.problems, [
    {
      path: '/etc/passwd:2',
      reason: 'malformed',
      detail: `line of ${long.length} characters skipped`,
    },
  ])
  assert.ok(output.byKey.has('user:root') && output.byKey.has('user:alice'))
  assert.equal(output.byKey.get('user:alice')?.attributes['password'], 'none')
})

test('binary garbage in /etc/passwd gives problems for its lines and no element of it', (t) => {
  // A fixed pseudo-random stream, so the test sees the same garbage every time.
  let seed = 42
  const garbage = Buffer.alloc(64 * 1024, 0)
  for (let index = 0; index < garbage.length; index++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    garbage[index] = seed >> 16
  }
  const root = buildRoot(t, {
    'etc/passwd': Buffer.concat([
      Buffer.from('root:x:0:0:root:/root:/bin/bash\n'),
      garbage,
      Buffer.from('\nalice:x:1000:1000::/home/alice:/bin/bash\n'),
    ]),
    'etc/group': garbage,
  })
  const output = collect(root)
  assert.ok(output.problems.length > 0)
  assert.ok(output.problems.every((problem) => problem.reason === 'malformed'))
  assert.ok(output.problems.every((problem) => /^\/etc\/(passwd|group):\d+$/.test(problem.path)))
  assert.deepEqual(
    output.elements.map((element) => element.key),
    ['user:root', 'user:alice', 'privileged:root'],
  )
})

test('an #includedir loop in sudoers is a problem for that include, and the rules are read', (t) => {
  const root = buildRoot(t, {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n',
    'etc/sudoers': '#includedir /etc/sudoers.d\n',
    'etc/sudoers.d/loop': 'alice ALL=(ALL) NOPASSWD: ALL\n#includedir /etc/sudoers.d\n',
  })
  const output = collect(root)
  assert.deepEqual(output.problems, [
    {
      path: '/etc/sudoers.d/loop:2',
      reason: 'include-loop',
      detail: '/etc/sudoers.d includes itself',
    },
  ])
  assert.equal(output.byKey.get('sudo-rule:alice ALL=(ALL) ALL')?.attributes['nopasswd'], true)
  assert.equal(output.byKey.get('privileged:alice')?.attributes['via'], 'sudo-all')
})

test('a sudoers.d link to /etc/shadow yields malformed problems naming file:line, never a hash', (t) => {
  const root = buildRoot(t, {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n',
    'etc/shadow': SHADOW,
    'etc/sudoers': '@includedir /etc/sudoers.d\n',
  })
  mkdirSync(join(root, 'etc/sudoers.d'))
  symlinkSync('/etc/shadow', join(root, 'etc/sudoers.d/x'))
  const output = collect(root)
  assert.deepEqual(output.problems, [
    { path: '/etc/sudoers.d/x:1', reason: 'malformed', detail: 'expected a name' },
    { path: '/etc/sudoers.d/x:2', reason: 'malformed', detail: 'expected a name' },
  ])
  assertNoSecrets(output)
})

test('links out of the root are resolved inside it: nothing outside is read', (t) => {
  const outside = tempDir(t, 'dw-outside-')
  writeFileSync(join(outside, 'passwd'), 'intruder:x:0:0::/:/bin/sh\n')
  mkdirSync(join(outside, '.ssh'))
  writeFileSync(join(outside, '.ssh/authorized_keys'), `${ROOT_KEY}\n`)
  const root = buildRoot(t, {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n',
    'etc/sudoers': `@include ${join(outside, 'passwd')}\n@include ../../../../../../../../../${join(outside, 'passwd')}\n`,
  })
  symlinkSync(outside, join(root, 'root'))
  symlinkSync(join(outside, 'passwd'), join(root, 'etc/group'))
  const output = collect(root)
  assert.deepEqual(
    output.elements.map((element) => element.key),
    ['user:root', 'privileged:root'],
  )
  assert.deepEqual(
    output.problems.map((problem) => [problem.path, problem.reason]),
    [
      ['/etc/sudoers:1', 'unreadable'],
      ['/etc/sudoers:2', 'unreadable'],
    ],
  )
  assert.ok(!JSON.stringify(output).includes('intruder'))
})

test('an unreadable /etc/shadow leaves password states unverified, not absent', (t) => {
  const root = buildRoot(t, {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n',
    'etc/sudoers': 'root ALL=(ALL:ALL) ALL\n',
  })
  mkdirSync(join(root, 'etc/shadow'))
  const output = collect(root)
  assert.deepEqual(
    output.problems.map((problem) => [problem.path, problem.reason]),
    [['/etc/shadow', 'unreadable']],
  )
  const rootUser = output.byKey.get('user:root')
  assert.equal(rootUser?.attributes['password'], undefined)
  assert.ok(rootUser?.unverified?.includes('password'))
  assert.equal(output.byKey.get('privileged:root')?.unverified, undefined, 'shadow holds no reason')
})
