import assert from 'node:assert/strict'
import { test } from 'node:test'
import { inMemoryConfigFiles } from './in-memory-config-files.js'
import { pamParser } from './pam-parser.js'

function pam(main: string, files: Record<string, string>) {
  return pamParser.parse(main, files[main] ?? '', inMemoryConfigFiles(files))
}

// Debian 12 as pam-auth-update writes it, with libpam-pwquality configured for length 14.
const DEBIAN = {
  '/etc/pam.d/passwd': `#
# The PAM configuration file for the Shadow \`passwd' service
#

@include common-password
`,
  '/etc/pam.d/common-password': `# /etc/pam.d/common-password - password-related modules common to all services
# here are the per-package modules (the "Primary" block)
password\trequisite\t\t\tpam_pwquality.so retry=3 minlen=14 dcredit=-1
password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok try_first_pass yescrypt
# here's the fallback if no module succeeds
password\trequisite\t\t\tpam_deny.so
password\trequired\t\t\tpam_permit.so
# end of pam-auth-update config
`,
  '/etc/pam.d/common-auth': `auth\t[success=1 default=ignore]\tpam_unix.so nullok
auth\trequisite\t\t\tpam_deny.so
auth\trequired\t\t\tpam_permit.so
`,
  '/etc/pam.d/common-account': `account\t[success=1 new_authtok_reqd=done default=ignore]\tpam_unix.so
account\trequisite\t\t\tpam_deny.so
account\trequired\t\t\tpam_permit.so
`,
  '/etc/pam.d/common-session': `session\t[default=1]\t\t\tpam_permit.so
session\trequisite\t\t\tpam_deny.so
session\trequired\t\t\tpam_permit.so
session\trequired\tpam_unix.so
session\toptional\tpam_systemd.so
-session\toptional\tpam_gnome_keyring.so auto_start
`,
  '/etc/pam.d/sshd': `# PAM configuration for the Secure Shell service

# Standard Un*x authentication.
@include common-auth

# Disallow non-root logins when /etc/nologin exists.
account    required     pam_nologin.so
@include common-account

session [success=ok ignore=ignore module_unknown=ignore default=bad]        pam_selinux.so close
session    required     pam_loginuid.so
session    optional     pam_keyinit.so force revoke
@include common-session
session    optional     pam_motd.so  motd=/run/motd.dynamic
session    optional     pam_motd.so noupdate
session    optional     pam_mail.so standard noenv # [1]
session    required     pam_limits.so
session [success=ok ignore=ignore module_unknown=ignore default=bad]        pam_selinux.so open

@include common-password
`,
}

test('Debian: pam_pwquality in the password stack through @include, with its arguments as keys', () => {
  const parsed = pam('/etc/pam.d/passwd', DEBIAN)
  assert.deepEqual(parsed.effective('password:pam_pwquality.so:minlen'), {
    key: 'password:pam_pwquality.so:minlen',
    value: '14',
    file: '/etc/pam.d/common-password',
    line: 3,
  })
  assert.equal(parsed.effective('password:pam_pwquality.so')?.value, 'retry=3 minlen=14 dcredit=-1')
  assert.equal(parsed.effective('password:pam_pwquality.so:dcredit')?.value, '-1')
  assert.equal(parsed.effective('password:pam_unix.so:yescrypt')?.value, 'true')
  assert.equal(parsed.effective('password:pam_unix.so:sha512'), undefined)
  assert.equal(parsed.effective('auth:pam_unix.so'), undefined)
  assert.deepEqual(parsed.problems, [])
})

test('the stack of a type lists its modules in the order libpam runs them', () => {
  const parsed = pam('/etc/pam.d/sshd', DEBIAN)
  assert.deepEqual(
    parsed.stack('password').map(({ control, module }) => `${control} ${module}`),
    [
      'requisite pam_pwquality.so',
      '[success=1 default=ignore] pam_unix.so',
      'requisite pam_deny.so',
      'required pam_permit.so',
    ],
  )
  assert.deepEqual(
    parsed.stack('session').map(({ module, file, line }) => `${module} ${file}:${line}`),
    [
      'pam_selinux.so /etc/pam.d/sshd:10',
      'pam_loginuid.so /etc/pam.d/sshd:11',
      'pam_keyinit.so /etc/pam.d/sshd:12',
      'pam_permit.so /etc/pam.d/common-session:1',
      'pam_deny.so /etc/pam.d/common-session:2',
      'pam_permit.so /etc/pam.d/common-session:3',
      'pam_unix.so /etc/pam.d/common-session:4',
      'pam_systemd.so /etc/pam.d/common-session:5',
      'pam_gnome_keyring.so /etc/pam.d/common-session:6',
      'pam_motd.so /etc/pam.d/sshd:14',
      'pam_motd.so /etc/pam.d/sshd:15',
      'pam_mail.so /etc/pam.d/sshd:16',
      'pam_limits.so /etc/pam.d/sshd:17',
      'pam_selinux.so /etc/pam.d/sshd:18',
    ],
  )
  const keyring = parsed.stack('SESSION').find(({ module }) => module === 'pam_gnome_keyring.so')
  assert.equal(keyring?.skipIfMissing, true)
  assert.equal(keyring?.type, 'session')
  assert.equal(
    parsed.stack('session')[0]?.control,
    '[success=ok ignore=ignore module_unknown=ignore default=bad]',
  )
  assert.equal(parsed.effective('session:pam_motd.so')?.value, 'motd=/run/motd.dynamic')
  assert.equal(parsed.all('session:pam_motd.so').length, 2)
  assert.equal(parsed.effective('session:pam_mail.so')?.value, 'standard noenv')
  assert.deepEqual(parsed.problems, [])
})

test('RHEL: "include" and "substack" read only lines of their type; a missing file is a problem', () => {
  const parsed = pam('/etc/pam.d/passwd', {
    '/etc/pam.d/passwd': `#%PAM-1.0
auth       include\tsystem-auth
account    include\tsystem-auth
password   substack\tsystem-auth
-password   optional\tpam_gnome_keyring.so use_authtok
password   substack\tpostlogin
`,
    '/etc/pam.d/system-auth': `auth        required      pam_env.so
auth        sufficient    pam_unix.so nullok
auth        required      pam_deny.so
account     required      pam_unix.so
password    requisite     pam_pwquality.so local_users_only
password    sufficient    pam_unix.so sha512 shadow nullok use_authtok
password    required      pam_deny.so
session     optional      pam_keyinit.so revoke
`,
  })
  assert.deepEqual(
    parsed.stack('auth').map(({ module }) => module),
    ['pam_env.so', 'pam_unix.so', 'pam_deny.so'],
  )
  assert.deepEqual(
    parsed.stack('password').map(({ module, substackLevel }) => `${module} ${substackLevel}`),
    ['pam_pwquality.so 1', 'pam_unix.so 1', 'pam_deny.so 1', 'pam_gnome_keyring.so 0'],
  )
  assert.deepEqual(parsed.stack('session'), [], 'no session line was included')
  assert.equal(parsed.effective('password:pam_unix.so:sha512')?.value, 'true')
  assert.deepEqual(parsed.problems, [
    {
      path: '/etc/pam.d/passwd:6',
      detail: 'the included file is not in the snapshot (looked in /etc/pam.d and /usr/lib/pam.d)',
    },
  ])
})

test('an included name is looked up in /etc/pam.d, then in the vendor directory /usr/lib/pam.d', () => {
  const parsed = pam('/etc/pam.d/login', {
    '/etc/pam.d/login': 'auth include common-auth\nauth include vendor-auth\n',
    '/etc/pam.d/common-auth': 'auth required pam_faillock.so preauth\n',
    '/usr/lib/pam.d/common-auth': 'auth required pam_permit.so\n',
    '/usr/lib/pam.d/vendor-auth': 'auth required pam_unix.so\n',
  })
  assert.deepEqual(
    parsed.stack('auth').map(({ module, file }) => `${module} ${file}`),
    ['pam_faillock.so /etc/pam.d/common-auth', 'pam_unix.so /usr/lib/pam.d/vendor-auth'],
  )
})

test('the first entry with the key wins; within it, the last occurrence of the argument', () => {
  const parsed = pam('/etc/pam.d/common-password', {
    '/etc/pam.d/common-password': [
      'password requisite pam_pwquality.so minlen=8 retry=3 minlen=12',
      'password requisite pam_pwquality.so minlen=16 enforce_for_root',
    ].join('\n'),
  })
  assert.equal(parsed.effective('password:pam_pwquality.so:minlen')?.value, '12')
  assert.deepEqual(
    parsed.all('password:pam_pwquality.so:minlen').map(({ value }) => value),
    ['8', '12', '16'],
  )
  assert.equal(parsed.effective('password:pam_pwquality.so:enforce_for_root')?.line, 2)
})

test('bracketed arguments stay whole, backslash continues a line, # starts a comment', () => {
  const parsed = pam('/etc/pam.d/app', {
    '/etc/pam.d/app': [
      'auth required pam_exec.so \\',
      '    quiet [cmd=/usr/local/bin/check --tag a\\]b] \\',
      '# a comment line inside the continuation is skipped',
      '    log=/var/log/check.log',
      'AUTH Required pam_warn.so # upper case types and controls are fine',
    ].join('\n'),
  })
  const [exec, warn] = parsed.stack('auth')
  assert.deepEqual(exec?.args, [
    'quiet',
    'cmd=/usr/local/bin/check --tag a]b',
    'log=/var/log/check.log',
  ])
  assert.equal(exec?.line, 1)
  assert.equal(parsed.effective('auth:pam_exec.so:cmd')?.value, '/usr/local/bin/check --tag a]b')
  assert.equal(
    parsed.effective('auth:pam_exec.so')?.value,
    'quiet [cmd=/usr/local/bin/check --tag a\\]b] log=/var/log/check.log',
  )
  assert.equal(warn?.control, 'required')
  assert.deepEqual(parsed.problems, [])
})

test('include loops, unknown types and controls, and lines without a module are problems', () => {
  const parsed = pam('/etc/pam.d/a', {
    '/etc/pam.d/a': [
      '@include b',
      'authentication required pam_unix.so',
      'auth sometimes pam_unix.so',
      'auth required',
      'session required pam_exec.so [cmd=/bin/true',
      '@include',
    ].join('\n'),
    '/etc/pam.d/b': 'account required pam_unix.so\n@include a\n',
  })
  assert.deepEqual(parsed.problems, [
    { path: '/etc/pam.d/b:2', detail: 'include loop: /etc/pam.d/a is already being read' },
    { path: '/etc/pam.d/a:2', detail: 'an unknown module type (auth, account, password, session)' },
    { path: '/etc/pam.d/a:3', detail: 'an unknown control; libpam treats the module as failing' },
    { path: '/etc/pam.d/a:4', detail: 'no module' },
    { path: '/etc/pam.d/a:5', detail: 'a [ is not closed; libpam reads to the end of the line' },
    { path: '/etc/pam.d/a:6', detail: '@include names no file' },
  ])
  assert.equal(parsed.effective('account:pam_unix.so')?.file, '/etc/pam.d/b')
  assert.equal(parsed.stack('auth').length, 1, 'a line with an unknown control is still a module')
})

test('a line continued past 64 KB is skipped with a problem; the next line still counts', () => {
  const long = `auth required pam_exec.so ${'x=1 \\\n'.repeat(20_000)}end=1\nauth required pam_deny.so\n`
  const parsed = pam('/etc/pam.d/app', { '/etc/pam.d/app': long })
  assert.deepEqual(
    parsed.stack('auth').map(({ module, line }) => `${module}:${line}`),
    ['pam_deny.so:20002'],
  )
  assert.equal(parsed.problems.length, 1)
  assert.match(parsed.problems[0]?.detail ?? '', /^continued line of \d+ characters skipped$/)
})
