// driftwatch assess on root filesystems with known misconfigurations: exactly the expected tests
// fail, with the right actual values; the rest pass or are not applicable. Waivers, deadlines and
// bad policies behave as documented.
import assert from 'node:assert/strict'
import Database from 'better-sqlite3'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { driftwatch } from './support/run-cli.js'
import { plantRoot, tempDir } from './support/temp-tree.js'

const POLICY = `
id: test-policy
version: 1.0.0
title: A policy exercising every kind of check
applies: { os: [debian] }
reads:
  - /etc/ssh/sshd_config
  - /etc/ssh/sshd_config.d/*.conf
  - /etc/login.defs
  - /etc/issue.net
tests:
  - id: ssh-root-login
    title: SSH refuses root logins with a password
    severity: high
    refs: { cis: ['5.2.10'], nist-800-53: ['AC-6(2)'] }
    check:
      setting: { file: /etc/ssh/sshd_config, parser: sshd, key: permitrootlogin, default: prohibit-password, in: [no, prohibit-password] }
    remediation: Set PermitRootLogin no.
  - id: ssh-empty-passwords
    title: SSH refuses empty passwords
    severity: high
    check:
      setting: { file: /etc/ssh/sshd_config, parser: sshd, key: permitemptypasswords, default: 'no', equals: 'no' }
    remediation: Set PermitEmptyPasswords no.
  - id: pass-max-days
    title: Passwords expire within a year
    severity: medium
    check:
      setting: { file: /etc/login.defs, parser: keyvalue, key: PASS_MAX_DAYS, atMost: 365 }
    remediation: Set PASS_MAX_DAYS 365 in /etc/login.defs.
  - id: ip-forward
    title: IP forwarding is off
    severity: medium
    check: { sysctl: { key: net.ipv4.ip_forward, equals: 0 } }
    remediation: Set net.ipv4.ip_forward = 0.
  - id: no-telnetd
    title: No telnet server
    severity: high
    check: { package: { name: telnetd, installed: false } }
    remediation: apt purge telnetd
  - id: telnet-service
    title: telnet is not enabled
    severity: high
    check: { service: { name: telnetd.service, notIn: [enabled], missing: pass } }
    remediation: systemctl disable telnetd
  - id: shadow-mode
    title: /etc/shadow is not readable by others
    severity: high
    check: { file: { path: /etc/shadow, modeAtMost: '0640', owner: root } }
    remediation: chmod 0640 /etc/shadow
  - id: one-root
    title: Only root has uid 0
    severity: critical
    check: { uid0Accounts: { atMost: 1 } }
    remediation: Remove other uid-0 accounts.
  - id: no-empty-passwords
    title: No account has an empty password
    severity: critical
    check: { noEmptyPasswords: true }
    remediation: Lock or set a password.
  - id: sudo-members
    title: Between one and three administrators
    severity: medium
    check: { groupMembers: { group: sudo, atLeast: 1, atMost: 3 } }
    remediation: Review the sudo group.
  - id: banner
    title: The network banner reveals no OS version
    severity: low
    check: { content: { path: /etc/issue.net, notMatches: '\\\\[mrsv]' } }
    remediation: Remove escapes from /etc/issue.net.
  - id: telnet-port
    title: Nothing listens on telnet
    severity: high
    check: { port: { proto: tcp, port: 23, listening: false } }
    remediation: Stop the telnet server.
  - id: rhel-only
    title: Applies to RHEL only
    severity: low
    applies: { os: [rhel] }
    check: { sysctl: { key: kernel.randomize_va_space, equals: 2 } }
    remediation: n/a
  - id: home-shells
    title: Human accounts use a known shell
    severity: low
    check:
      forEach:
        elements: 'user:*'
        where: { attribute: uid, atLeast: 1000 }
        check: { attribute: shell, in: [/bin/bash, /bin/sh, /usr/bin/zsh] }
    remediation: chsh
`

function misconfiguredRoot(t: Parameters<typeof tempDir>[0]): string {
  const root = plantRoot(t, {
    '/etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
    '/etc/passwd':
      'root:x:0:0:root:/root:/bin/bash\ntoor:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/bash\nbob:x:1001:1001::/home/bob:/usr/bin/fish\n',
    '/etc/shadow':
      'root:$6$x$y:19000:0:99999:7:::\ntoor::19000:0:99999:7:::\nalice:$6$x$z:19000:0:99999:7:::\nbob:$6$x$w:19000:0:99999:7:::\n',
    '/etc/group': 'root:x:0:\nsudo:x:27:alice,bob\n',
    '/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication yes\n',
    '/etc/ssh/sshd_config.d/50-cloud.conf': 'PermitRootLogin yes\n',
    '/etc/login.defs': 'PASS_MAX_DAYS\t99999\nPASS_MIN_DAYS 0\n',
    '/etc/sysctl.d/99-router.conf': 'net.ipv4.ip_forward = 1\n',
    '/etc/issue.net': 'Debian GNU/Linux \\r \\m\nWelcome\n',
    '/var/lib/dpkg/status':
      'Package: telnetd\nStatus: install ok installed\nVersion: 0.17-44\nArchitecture: amd64\n\n',
  })
  chmodSync(join(root, 'etc/shadow'), 0o644)
  return root
}

test('exactly the misconfigured tests fail, with the actual values found', async (t) => {
  const root = misconfiguredRoot(t)
  const policy = join(tempDir(t), 'policy.yaml')
  writeFileSync(policy, POLICY)
  const run = await driftwatch(['assess', '--root', root, '--policy', policy, '--format', 'json'])
  assert.equal(run.code, 1, run.stderr)
  const report = JSON.parse(run.stdout) as {
    score: number
    results: {
      test: string
      status: string
      actual: string
      expected: string
      evidence: { file?: string; line?: number }[]
      deadline?: string
    }[]
  }
  const status = Object.fromEntries(report.results.map((result) => [result.test, result.status]))
  assert.deepEqual(status, {
    'ssh-root-login': 'fail',
    'ssh-empty-passwords': 'pass',
    'pass-max-days': 'fail',
    'ip-forward': 'fail',
    'no-telnetd': 'fail',
    'telnet-service': 'pass',
    'shadow-mode': 'fail',
    'one-root': 'fail',
    'no-empty-passwords': 'fail',
    'sudo-members': 'pass',
    banner: 'fail',
    'telnet-port': 'not-applicable',
    'rhel-only': 'not-applicable',
    'home-shells': 'fail',
  })
  const result = (id: string): (typeof report.results)[number] =>
    report.results.find((r) => r.test === id) as (typeof report.results)[number]
  assert.match(
    result('ssh-root-login').actual,
    /^yes \(\/etc\/ssh\/sshd_config\.d\/50-cloud\.conf:1\)$/,
    'the included file wins, and says where',
  )
  assert.equal(result('ssh-root-login').expected, 'one of [no, prohibit-password]')
  assert.match(result('pass-max-days').actual, /^99999 /)
  assert.equal(result('ip-forward').actual, '1')
  assert.match(result('no-telnetd').actual, /^installed 0\.17-44$/)
  assert.match(result('shadow-mode').actual, /mode 0644/)
  assert.match(result('one-root').actual, /^2 \(root, toor\)$/)
  assert.match(result('no-empty-passwords').actual, /user:toor/)
  assert.match(result('banner').actual, /^line 1: /)
  assert.match(result('home-shells').actual, /user:bob \(\/usr\/bin\/fish\)/)
  assert.ok(result('one-root').deadline, 'a failure has a remediation deadline')
  assert.equal(report.score, Math.round((1000 * 3) / 12) / 10)

  const text = await driftwatch(['assess', '--root', root, '--policy', policy])
  assert.match(
    text.stdout,
    /✗ \[critical\] test-policy\/one-root: Only root has uid 0\n\s+actual:\s+2 \(root, toor\)\n\s+expected: ≤ 1/,
  )
})

test('a waiver turns a failure into waived until it expires, and an expired one says so', async (t) => {
  const root = misconfiguredRoot(t)
  const work = tempDir(t)
  const policy = join(work, 'policy.yaml')
  writeFileSync(policy, POLICY)
  const waivers = join(work, 'waivers.yaml')
  writeFileSync(
    waivers,
    `waivers:
  - tests: [ip-forward]
    justification: this host routes the lab network
    approver: carol
    expires: 2999-12-31
  - tests: ['test-policy/pass-max-days']
    nodes: ['*']
    justification: legacy accounts
    approver: dave
    expires: 2020-01-01
`,
  )
  const run = await driftwatch([
    'assess',
    '--root',
    root,
    '--policy',
    policy,
    '--waivers',
    waivers,
    '--format',
    'json',
  ])
  const results = (
    JSON.parse(run.stdout) as { results: { test: string; status: string; note?: string }[] }
  ).results
  const forward = results.find((r) => r.test === 'ip-forward')
  assert.equal(forward?.status, 'waived')
  assert.match(
    forward?.note ?? '',
    /waived by carol until 2999-12-31: this host routes the lab network/,
  )
  const expired = results.find((r) => r.test === 'pass-max-days')
  assert.equal(expired?.status, 'fail', 'an expired waiver stops applying')
  assert.match(expired?.note ?? '', /the waiver by dave expired on 2020-01-01/)
})

test('bad policies and waivers are refused with the place and what was expected', async (t) => {
  const work = tempDir(t)
  const root = plantRoot(t, { '/etc/hostname': 'x\n' })
  const cases: [string, string, RegExp][] = [
    [
      'unknown.yaml',
      POLICY.replace('sysctl: { key: net.ipv4.ip_forward, equals: 0 }', 'frobnicate: { x: 1 }'),
      /unknown\.yaml:\d+:\d+: tests\[3\]\.check\.frobnicate: unknown check type "frobnicate": expected one of all, any/,
    ],
    [
      'regex.yaml',
      POLICY.replace("notMatches: '\\\\[mrsv]'", () => "notMatches: '(a+)+$'"),
      /regex\.yaml:\d+:\d+: tests\[10\]\.check\.content\.notMatches: this regular expression could backtrack catastrophically/,
    ],
    ['syntax.yaml', 'id: x\ntests: [\n', /syntax\.yaml:\d+:\d+: .*DW_ERR_POLICY_SYNTAX/],
    [
      'no-remediation.yaml',
      POLICY.replace('    remediation: apt purge telnetd\n', ''),
      /no-remediation\.yaml:\d+:\d+: tests\[4\]\.remediation/,
    ],
  ]
  for (const [name, text, message] of cases) {
    writeFileSync(join(work, name), text)
    const run = await driftwatch(['assess', '--root', root, '--policy', join(work, name)])
    assert.equal(run.code, 2, `${name}: ${run.stderr}`)
    assert.match(run.stderr, message)
  }
  writeFileSync(join(work, 'policy.yaml'), POLICY)
  writeFileSync(
    join(work, 'waivers.yaml'),
    'waivers:\n  - tests: [ip-forward]\n    justification: routing\n    approver: carol\n',
  )
  const waiver = await driftwatch([
    'assess',
    '--root',
    root,
    '--policy',
    join(work, 'policy.yaml'),
    '--waivers',
    join(work, 'waivers.yaml'),
  ])
  assert.equal(waiver.code, 2)
  assert.match(waiver.stderr, /waivers\.yaml:2:\d+: waivers\[0\]\.expires: .*DW_ERR_WAIVER_INVALID/)
})

test('with --db a failure keeps its first date, and one past its deadline is overdue', async (t) => {
  const root = misconfiguredRoot(t)
  const work = tempDir(t)
  const policy = join(work, 'policy.yaml')
  writeFileSync(policy, POLICY)
  const db = join(work, 'assess.db')
  const flags = ['assess', '--root', root, '--policy', policy, '--db', db, '--format', 'json']
  type Report = {
    results: { test: string; firstFailed?: string; deadline?: string; overdue?: boolean }[]
  }
  const first = JSON.parse((await driftwatch(flags)).stdout) as Report
  const forward = first.results.find((result) => result.test === 'ip-forward')
  assert.equal(forward?.overdue, false)

  // The failure was first seen 100 days ago: a medium one (90 days) is now overdue.
  const connection = new Database(db)
  connection
    .prepare(`UPDATE test_failures SET first_failed_at = ? WHERE test = 'test-policy/ip-forward'`)
    .run(new Date(Date.now() - 100 * 86_400_000).toISOString())
  connection.close()
  const second = JSON.parse((await driftwatch(flags)).stdout) as Report
  const again = second.results.find((result) => result.test === 'ip-forward')
  assert.equal(again?.overdue, true)
  assert.ok(
    (again?.firstFailed ?? '') < (forward?.firstFailed ?? ''),
    'the first failure date is kept',
  )

  const text = await driftwatch([
    'assess',
    '--root',
    root,
    '--policy',
    policy,
    '--db',
    db,
    '--deadline-days',
    'medium=200',
  ])
  assert.doesNotMatch(text.stdout, /OVERDUE/, 'deadlines are configurable')
  const bad = await driftwatch([
    'assess',
    '--root',
    root,
    '--policy',
    policy,
    '--deadline-days',
    'urgent=1',
  ])
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /--deadline-days: "urgent=1" is not SEVERITY=DAYS/)
})
