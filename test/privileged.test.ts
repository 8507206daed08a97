// driftwatch privileged, as a security engineer runs it: on a root filesystem built to hold
// every way to root (and a few traps), and on this machine.
import assert from 'node:assert/strict'
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { driftwatch } from './support/run-cli.js'
import { tempDir } from './support/temp-tree.js'

const MALLORY_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGcOJqgjxqz8WgKzD0b4sQ3Q2yA9NfM1fH3k8u2m9xYy mallory@laptop'
const MALLORY_FINGERPRINT = 'SHA256:s2MOljTGAzg0py8eOUPhbtifMF2iqDitnA2VXEcydD0'

interface PrivilegedJson {
  identities: {
    name: string
    kind: string
    via: string[]
    evidence: string[]
    countsAsAdmin: boolean
  }[]
  ghosts: { account: string; finding: string; detail: string }[]
  admins: { count: number; min: number; max: number; verdict: string }
  problems: { path: string; reason: string; detail: string }[]
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), content)
  }
}

/** A host where five identities can become root, two of them by accounts that should not exist. */
function compromisedRoot(t: TestContext): string {
  const root = join(tempDir(t), 'root')
  writeTree(root, {
    'etc/passwd': [
      'root:x:0:0:root:/root:/bin/bash',
      'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
      'backup:x:34:34:backup:/var/backups:/bin/bash',
      'toor:x:0:0::/root:/bin/sh',
      'alice:x:1000:1000:Alice:/home/alice:/bin/bash',
      'bob:x:1001:1001:Bob:/home/bob:/bin/bash',
      'carol:x:1002:1002:Carol:/home/carol:/bin/bash',
      'dave:x:1003:1003:Dave:/home/dave:/bin/bash',
      '',
    ].join('\n'),
    'etc/shadow': [
      'root:$6$RootSalt$RootHashRootHash:19000:0:99999:7:::',
      'daemon:*:19000:0:99999:7:::',
      'backup:*:19000:0:99999:7:::',
      'toor::19500:0:99999:7:::',
      'alice:$y$j9T$AliceSalt$AliceHash:19500:0:90:7:::',
      'bob:$y$j9T$BobSalt$BobHash:19500:0:90:7:::',
      'carol:$y$j9T$CarolSalt$CarolHash:19500:0:90:7:::',
      'dave:!:19500:0:90:7:::',
      '',
    ].join('\n'),
    'etc/group': 'root:x:0:\nsudo:x:27:alice\ndocker:x:999:bob\nalice:x:1000:\nbob:x:1001:\n',
    'etc/sudoers':
      'Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n',
    'etc/sudoers.d/ops':
      'User_Alias OPS = carol\nOPS ALL=(ALL) NOPASSWD: ALL\ndave ALL=(root) /usr/bin/apt update\n',
    'root/.ssh/authorized_keys': `${MALLORY_KEY}\n`,
  })
  // A sudoers.d entry that is really the shadow file: sudo would refuse it, driftwatch reports it.
  symlinkSync('/etc/shadow', join(root, 'etc/sudoers.d/x'))
  return root
}

function assertNoHashes(output: string): void {
  for (const secret of [
    'RootSalt',
    'RootHash',
    'AliceSalt',
    'AliceHash',
    'BobHash',
    'CarolHash',
    '$6$',
    '$y$',
  ]) {
    assert.ok(!output.includes(secret), `the output holds no ${secret}`)
  }
}

test('lists who can act as root and how, the ghost accounts and the administrator count', async (t) => {
  const root = compromisedRoot(t)
  const run = await driftwatch(['privileged', '--root', root])
  assert.equal(run.code, 1, 'ghost accounts are findings')
  assert.equal(run.stderr, '')
  assert.equal(
    run.stdout,
    [
      `driftwatch privileged — root filesystem in ${realpathSync(root)}`,
      '',
      'Who can act as root (7)',
      '  alice  via group:sudo, sudo-all  [administrator]',
      '      member of group sudo',
      '      sudo rule %sudo ALL=(ALL:ALL) ALL (/etc/sudoers)',
      '  bob  via group:docker  [administrator]',
      '      member of group docker',
      '  carol  via sudo-all  [administrator]',
      '      sudo rule OPS ALL=(ALL) ALL (/etc/sudoers.d/ops, NOPASSWD)',
      '  root  via sudo-all, uid-0',
      '      uid 0',
      '      sudo rule root ALL=(ALL:ALL) ALL (/etc/sudoers)',
      '  toor  via uid-0',
      '      uid 0',
      '  %sudo  via sudo-all',
      '      sudo rule %sudo ALL=(ALL:ALL) ALL (/etc/sudoers)',
      `  ssh-key:${MALLORY_FINGERPRINT}  via root-ssh-key`,
      '      authorized for root in /root/.ssh/authorized_keys (mallory@laptop)',
      '      authorized for toor in /root/.ssh/authorized_keys (mallory@laptop)',
      '',
      'Ghost accounts (4)',
      '  ! backup: system-login-shell (system account (uid 34) with the login shell /bin/bash)',
      '  ! toor: empty-password (no password: where PAM allows it, anyone can log in)',
      '  ! toor: system-login-shell (system account (uid 0) with the login shell /bin/sh)',
      '  ! toor: uid-0 (uid 0 on an account other than root)',
      '',
      'Administrators: 3 (alice, bob, carol) — within 2 to 10',
      '',
      // The shadow file read as sudoers: each line a problem, none of it quoted.
      'Problems (8)',
      ...[1, 2, 3, 4, 5, 6, 7, 8].map(
        (line) => `  ! /etc/sudoers.d/x:${line}: malformed (expected a name)`,
      ),
      '',
    ].join('\n'),
    'dave may run apt update as root, which is not acting as root: he is not listed',
  )
  assertNoHashes(run.stdout)
})

test('--format json gives identities, ghosts, the admin verdict and problems for programs', async (t) => {
  const root = compromisedRoot(t)
  const run = await driftwatch([
    'privileged',
    '--root',
    root,
    '--format',
    'json',
    '--max-admins',
    '2',
  ])
  assert.equal(run.code, 1)
  assertNoHashes(run.stdout)
  const report = JSON.parse(run.stdout) as PrivilegedJson
  assert.deepEqual(Object.keys(report), ['identities', 'ghosts', 'admins', 'problems'])
  assert.deepEqual(
    report.identities.map((identity) => `${identity.name} ${identity.via.join(',')}`),
    [
      'alice group:sudo,sudo-all',
      'bob group:docker',
      'carol sudo-all',
      'root sudo-all,uid-0',
      'toor uid-0',
      '%sudo sudo-all',
      `ssh-key:${MALLORY_FINGERPRINT} root-ssh-key`,
    ],
  )
  assert.deepEqual(report.admins, { count: 3, min: 2, max: 2, verdict: 'too-many' })
  assert.deepEqual(
    report.ghosts.map((ghost) => `${ghost.account} ${ghost.finding}`),
    ['backup system-login-shell', 'toor empty-password', 'toor system-login-shell', 'toor uid-0'],
  )
  assert.deepEqual(
    report.problems.map((problem) => `${problem.path} ${problem.reason}`),
    [1, 2, 3, 4, 5, 6, 7, 8].map((line) => `/etc/sudoers.d/x:${line} malformed`),
  )
})

test('exits 0 when there is no ghost and the administrators are within bounds', async (t) => {
  const root = join(tempDir(t), 'root')
  writeTree(root, {
    'etc/passwd':
      'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/:/usr/sbin/nologin\n' +
      'alice:x:1000:1000::/home/alice:/bin/bash\nbob:x:1001:1001::/home/bob:/bin/bash\n',
    'etc/shadow':
      'root:*:19000::::::\ndaemon:*:19000::::::\nalice:!:19000::::::\nbob:!:19000::::::\n',
    'etc/group': 'root:x:0:\nwheel:x:10:alice,bob\n',
  })
  const ok = await driftwatch(['privileged', '--root', root])
  assert.equal(ok.code, 0, ok.stdout)
  assert.match(ok.stdout, /\nGhost accounts: none\n/)
  assert.match(ok.stdout, /\nAdministrators: 2 \(alice, bob\) — within 2 to 10\n$/)

  const few = await driftwatch(['privileged', '--root', root, '--min-admins', '3'])
  assert.equal(few.code, 1)
  assert.match(few.stdout, /\nAdministrators: 2 \(alice, bob\) — too few: at least 3 expected\n/)
})

test('bad flags and a missing root are usage errors, with the catalogue code', async (t) => {
  const root = tempDir(t)
  for (const [args, message] of [
    [['--format', 'xml'], /--format must be text or json \[DW_ERR_USAGE\]/],
    [['--min-admins', 'two'], /--min-admins must be a whole number/],
    [['--max-admins', '-1'], /--max-admins must be a whole number/],
    [
      ['--min-admins', '5', '--max-admins', '3'],
      /--min-admins \(5\) must not be more than --max-admins \(3\)/,
    ],
    [['--root', ''], /--root must not be empty/],
  ] as const) {
    const run = await driftwatch(['privileged', '--root', root, ...args])
    assert.equal(run.code, 2, args.join(' '))
    assert.match(run.stderr, message)
    assert.equal(run.stdout, '')
  }
  const missing = await driftwatch(['privileged', '--root', join(root, 'nowhere')])
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /\[DW_ERR_ROOT_NOT_FOUND\]/)
})

test('on this machine, root is listed as acting as root through uid 0', async () => {
  const run = await driftwatch(['privileged', '--format', 'json'])
  assert.ok(run.code === 0 || run.code === 1, run.stderr)
  const report = JSON.parse(run.stdout) as PrivilegedJson
  const root = report.identities.find((identity) => identity.name === 'root')
  assert.ok(root?.via.includes('uid-0'), JSON.stringify(report.identities))
  const text = await driftwatch(['privileged'])
  assert.match(text.stdout, /^driftwatch privileged — live host\n\nWho can act as root \(\d+\)\n/)
  assert.match(text.stdout, /\n {2}root {2}via (.*, )?uid-0\b/)
})
