import assert from 'node:assert/strict'
import { test } from 'node:test'
import { inMemoryConfigFiles } from './in-memory-config-files.js'
import { keyValueParser, libvirtConfParser } from './key-value-parser.js'

const NO_FILES = inMemoryConfigFiles({})

const LOGIN_DEFS = `#
# /etc/login.defs - Configuration control definitions for the login package.
#
MAIL_DIR        /var/mail
FAILLOG_ENAB\t\tyes
ENV_SUPATH\tPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
#
# Password aging controls:
#
PASS_MAX_DAYS\t99999
PASS_MIN_DAYS\t0
PASS_WARN_AGE\t7
UMASK\t\t022
ENCRYPT_METHOD SHA512
# Added by the hardening role:
PASS_MAX_DAYS\t365
LOGIN_TIMEOUT 60 # seconds
`

test('login.defs: a later definition replaces an earlier one, as shadow reads it', () => {
  const parsed = keyValueParser.parse('/etc/login.defs', LOGIN_DEFS, NO_FILES)
  assert.deepEqual(parsed.effective('PASS_MAX_DAYS'), {
    key: 'PASS_MAX_DAYS',
    value: '365',
    file: '/etc/login.defs',
    line: 16,
  })
  assert.deepEqual(
    parsed.all('PASS_MAX_DAYS').map((setting) => setting.line),
    [10, 16],
  )
  assert.equal(
    parsed.effective('ENV_SUPATH')?.value,
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  )
  assert.equal(parsed.effective('pass_max_days'), undefined, 'keys are case-sensitive')
  // shadow reads "60 # seconds" and fails to parse it: a policy comparing numbers should fail too.
  assert.equal(parsed.effective('LOGIN_TIMEOUT')?.value, '60 # seconds')
  assert.deepEqual(parsed.problems, [])
})

test('sysctl.conf: "=" with or without blanks, ; and # comments, the last line wins', () => {
  const text = [
    '; legacy comment',
    'net.ipv4.ip_forward = 1',
    'kernel.kptr_restrict=2',
    '  net.ipv4.conf.all.rp_filter   =   1  ',
    'net.ipv4.ip_forward = 0',
    'kernel.core_pattern = |/usr/lib/systemd/systemd-coredump %P %u  %g',
    'net.ipv6.conf.all.disable_ipv6 =',
  ].join('\r\n')
  const parsed = keyValueParser.parse('/etc/sysctl.conf', text, NO_FILES)
  assert.equal(parsed.effective('net.ipv4.ip_forward')?.value, '0')
  assert.equal(parsed.effective('kernel.kptr_restrict')?.value, '2')
  assert.equal(parsed.effective('net.ipv4.conf.all.rp_filter')?.value, '1')
  assert.equal(
    parsed.effective('kernel.core_pattern')?.value,
    '|/usr/lib/systemd/systemd-coredump %P %u %g',
  )
  assert.equal(parsed.effective('net.ipv6.conf.all.disable_ipv6')?.value, '')
})

const QEMU_CONF = `# Master configuration file for the QEMU driver.
# All settings described here are optional - if omitted, sensible
# defaults are used.

# VNC is configured to listen on 127.0.0.1 by default.
#
#vnc_listen = "0.0.0.0"
vnc_listen = "0.0.0.0"
vnc_tls = 1
vnc_tls_x509_verify = 1
spice_listen = '127.0.0.1'   # only local clients

#security_driver = "selinux"
security_driver = [ "selinux",   "apparmor" ]
security_default_confined = 1
user = "root"
group = "root"
dynamic_ownership = 1

cgroup_device_acl = [
    "/dev/null", "/dev/full", "/dev/zero",
    # the random devices
    "/dev/random", "/dev/urandom",
    "/dev/ptmx", "/dev/kvm",
    "/dev/rtc","/dev/hpet"
]
set_process_name = 1
max_processes = 0
`

test('qemu.conf: quotes are removed, lists are kept as written and may span lines', () => {
  const parsed = keyValueParser.parse('/etc/libvirt/qemu.conf', QEMU_CONF, NO_FILES)
  const value = (key: string) => parsed.effective(key)?.value
  assert.equal(value('vnc_listen'), '0.0.0.0')
  assert.equal(value('vnc_tls'), '1')
  assert.equal(value('spice_listen'), '127.0.0.1')
  assert.equal(value('security_driver'), '[ "selinux", "apparmor" ]')
  assert.equal(value('user'), 'root')
  assert.equal(
    value('cgroup_device_acl'),
    '[ "/dev/null", "/dev/full", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/ptmx", "/dev/kvm", "/dev/rtc","/dev/hpet" ]',
  )
  assert.equal(parsed.effective('cgroup_device_acl')?.line, 20)
  assert.equal(value('set_process_name'), '1', 'parsing goes on after a multi-line list')
  assert.deepEqual(parsed.problems, [])
})

const LIBVIRTD_CONF = `# Master libvirt daemon configuration file
#
listen_tls = 0
listen_tcp = 1
tcp_port = "16509"
listen_addr = "192.168.0.1"
unix_sock_group = "libvirt"
unix_sock_rw_perms = "0770"
auth_unix_ro = "polkit"
auth_tcp = "sasl"
tls_allowed_dn_list = ["DN1", "DN2"]
sasl_allowed_username_list = ["joe@EXAMPLE.COM", "fred@EXAMPLE.COM" ]
log_level = 3
# appended by an automation run:
auth_tcp = "none"   # temporary
`

test('libvirtd.conf: the first occurrence counts, as libvirt looks keys up from the top', () => {
  const parsed = libvirtConfParser.parse('/etc/libvirt/libvirtd.conf', LIBVIRTD_CONF, NO_FILES)
  assert.equal(parsed.effective('auth_tcp')?.value, 'sasl')
  assert.deepEqual(
    parsed.all('auth_tcp').map((setting) => setting.value),
    ['sasl', 'none'],
  )
  assert.equal(parsed.effective('unix_sock_rw_perms')?.value, '0770')
  assert.equal(parsed.effective('tls_allowed_dn_list')?.value, '["DN1", "DN2"]')
  assert.equal(
    parsed.effective('sasl_allowed_username_list')?.value,
    '["joe@EXAMPLE.COM", "fred@EXAMPLE.COM" ]',
  )
  assert.deepEqual(parsed.problems, [])
  assert.equal(
    keyValueParser
      .parse('/etc/libvirt/libvirtd.conf', LIBVIRTD_CONF, NO_FILES)
      .effective('auth_tcp')?.value,
    'none',
    'the generic keyvalue parser lets the last line win',
  )
})

test('a # after an unquoted value is a comment for libvirt files only', () => {
  const text = 'max_clients = 5000 # per daemon\n'
  assert.equal(
    libvirtConfParser.parse('/etc/libvirt/libvirtd.conf', text, NO_FILES).effective('max_clients')
      ?.value,
    '5000',
  )
  assert.equal(
    keyValueParser.parse('/etc/x.conf', text, NO_FILES).effective('max_clients')?.value,
    '5000 # per daemon',
  )
})

test('lines without a key, open quotes and open lists are problems, not settings', () => {
  const text = [
    'PASS_MAX_DAYS 365',
    '= 5',
    'vnc_password = "s3cret',
    'tls_priority = "NORMAL" extra',
    'cgroup_controllers = [ "cpu", "memory"',
    'PASS_MIN_DAYS 1',
  ].join('\n')
  const parsed = keyValueParser.parse('/etc/x.conf', text, NO_FILES)
  assert.deepEqual(parsed.problems, [
    { path: '/etc/x.conf:2', detail: 'a line without a key' },
    { path: '/etc/x.conf:3', detail: 'a quote is not closed' },
    { path: '/etc/x.conf:4', detail: 'text after a quoted value' },
    { path: '/etc/x.conf:5', detail: 'a [ list is not closed' },
  ])
  assert.equal(parsed.effective('vnc_password'), undefined)
  assert.equal(parsed.effective('tls_priority')?.value, 'NORMAL')
  assert.equal(parsed.effective('PASS_MIN_DAYS')?.value, '1', 'an open list does not eat the file')
  assert.ok(!JSON.stringify(parsed.problems).includes('s3cret'))
})

test('stray [ on every line of a large file costs little', () => {
  const text = `${'k = [ "a", "b"\n'.repeat(200_000)}last = 1\n`
  const started = performance.now()
  const parsed = keyValueParser.parse('/etc/x.conf', text, NO_FILES)
  assert.ok(performance.now() - started < 2000)
  assert.equal(parsed.effective('last')?.value, '1')
})

test('pwquality.conf and faillock.conf: an option written alone is a flag set to true', () => {
  const text =
    '# Configuration for systemwide password quality limits\nminlen = 14\nenforce_for_root\n'
  const parsed = keyValueParser.parse('/etc/security/pwquality.conf', text, NO_FILES)
  assert.equal(parsed.effective('enforce_for_root')?.value, 'true')
  assert.equal(parsed.effective('minlen')?.value, '14')
  assert.deepEqual(parsed.problems, [])
})
