import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ConfigParser } from './config-parser.js'
import { CONFIG_PARSERS } from './config-parsers.js'
import { inMemoryConfigFiles } from './in-memory-config-files.js'
import { MAX_PROBLEMS } from './problem-log.js'
import { sshdParser } from './sshd-parser.js'
import { pamParser } from './pam-parser.js'

// One line each parser understands, and the key it sets.
const SAMPLES: Record<string, { line: string; key: string }> = {
  sshd: { line: 'PermitRootLogin no', key: 'permitrootlogin' },
  keyvalue: { line: 'PASS_MAX_DAYS 365', key: 'PASS_MAX_DAYS' },
  libvirt: { line: 'vnc_tls = 1', key: 'vnc_tls' },
  pam: { line: 'password requisite pam_pwquality.so minlen=14', key: 'password:pam_pwquality.so' },
  ini: { line: 'Storage=persistent', key: 'Storage' },
  fstab: { line: 'tmpfs /tmp tmpfs nodev 0 0', key: '/tmp:nodev' },
}

const NO_FILES = inMemoryConfigFiles({})

function eachParser(check: (parser: ConfigParser, sample: { line: string; key: string }) => void) {
  for (const [name, parser] of Object.entries(CONFIG_PARSERS)) {
    const sample = SAMPLES[name]
    assert.ok(sample, `a sample line for ${name}`)
    check(parser, sample)
  }
}

test('the registry names each parser by its own name, and only those', () => {
  assert.deepEqual(Object.keys(CONFIG_PARSERS).sort(), Object.keys(SAMPLES).sort())
  for (const [name, parser] of Object.entries(CONFIG_PARSERS)) assert.equal(parser.name, name)
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'SSHD']) {
    assert.equal(CONFIG_PARSERS[name], undefined, name)
  }
})

test('binary garbage gives problems, never an exception, and the lines after it still count', () => {
  let seed = 7
  const bytes = Buffer.alloc(1024 * 1024)
  for (let i = 0; i < bytes.length; i += 1) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    bytes[i] = seed >> 16
  }
  eachParser((parser, sample) => {
    const text = `${bytes.toString('utf8')}\n${sample.line}\n`
    const parsed = parser.parse('/etc/garbage', text, NO_FILES)
    assert.ok(parsed.problems.length > 0, parser.name)
    assert.ok(parsed.problems.length <= MAX_PROBLEMS + 1, parser.name)
    assert.ok(parsed.effective(sample.key) !== undefined, parser.name)
  })
})

test('a 10 MB line is skipped with a problem, quickly, by every parser', () => {
  const huge = `key ${'x'.repeat(10 * 1024 * 1024)}`
  eachParser((parser, sample) => {
    const started = performance.now()
    const parsed = parser.parse('/etc/huge', `${huge}\n${sample.line}\n`, NO_FILES)
    assert.deepEqual(parsed.problems, [
      { path: '/etc/huge:1', detail: `line of ${huge.length} characters skipped` },
    ])
    assert.ok(parsed.effective(sample.key) !== undefined, parser.name)
    assert.ok(performance.now() - started < 2000, parser.name)
  })
})

test('a problem never quotes the line, which may hold a password', () => {
  const secret = 'hunter2-Secret'
  const broken = [
    `Banner "${secret}`,
    `[${secret}`,
    `${secret}`,
    `auth ${secret}`,
    `/dev/sda1 ${secret}`,
    `@include ${secret}`,
    `Include ${secret}`,
    `k = "${secret}`,
    `\u001b]0;${secret}\u0007`,
  ].join('\n')
  eachParser((parser) => {
    const parsed = parser.parse('/etc/secret.conf', broken, NO_FILES)
    assert.ok(parsed.problems.length > 0, parser.name)
    assert.ok(!JSON.stringify(parsed.problems).includes(secret), parser.name)
  })
})

test('includes that fan out without end stop at a limit, with a problem', () => {
  const files: Record<string, string> = {}
  for (let depth = 0; depth < 16; depth += 1) {
    const next = `/srv/conf/${depth + 1}.conf`
    files[`/srv/conf/${depth}.conf`] = `Include ${next}\nInclude ${next}\nInclude ${next}\n`
  }
  const started = performance.now()
  const parsed = sshdParser.parse(
    '/srv/conf/0.conf',
    files['/srv/conf/0.conf'] ?? '',
    inMemoryConfigFiles(files),
  )
  assert.ok(performance.now() - started < 2000)
  assert.deepEqual(parsed.problems, [
    { path: '/srv/conf/13.conf:2', detail: 'more than 1000 files included' },
  ])

  const pamFiles: Record<string, string> = {}
  for (let depth = 0; depth < 16; depth += 1) {
    const next = `/etc/pam.d/${depth + 1}`
    pamFiles[`/etc/pam.d/${depth}`] = `@include ${next}\n@include ${next}\n@include ${next}\n`
  }
  pamFiles['/etc/pam.d/16'] = 'auth required pam_permit.so\n'
  const pam = pamParser.parse(
    '/etc/pam.d/0',
    pamFiles['/etc/pam.d/0'] ?? '',
    inMemoryConfigFiles(pamFiles),
  )
  assert.deepEqual(
    pam.problems.map(({ detail }) => detail),
    ['more than 1000 files included'],
  )
})

test('includes outside /etc are followed like any other path in the snapshot', () => {
  const files = {
    '/etc/ssh/sshd_config': 'Include /opt/site/ssh/*.conf\n',
    '/opt/site/ssh/hardening.conf': 'PermitRootLogin no\n',
    '/etc/pam.d/login': '@include /opt/site/pam/common-auth\n',
    '/opt/site/pam/common-auth': 'auth required pam_faillock.so preauth\n',
  }
  const config = inMemoryConfigFiles(files)
  assert.equal(
    sshdParser
      .parse('/etc/ssh/sshd_config', files['/etc/ssh/sshd_config'], config)
      .effective('PermitRootLogin')?.file,
    '/opt/site/ssh/hardening.conf',
  )
  assert.equal(
    pamParser
      .parse('/etc/pam.d/login', files['/etc/pam.d/login'], config)
      .effective('auth:pam_faillock.so:preauth')?.value,
    'true',
  )
})

test('a ConfigFiles that throws is an include problem, not an exception', () => {
  const failing = {
    read: (): string => {
      throw new Error('store unavailable')
    },
    list: (): string[] => {
      throw new Error('store unavailable')
    },
  }
  const sshd = sshdParser.parse('/etc/ssh/sshd_config', 'Include x.conf\nPort 22\n', failing)
  assert.equal(sshd.effective('port')?.value, '22')
  assert.equal(sshd.problems.length, 1)
  const pam = pamParser.parse('/etc/pam.d/login', '@include common-auth\n', failing)
  assert.equal(pam.problems.length, 1)
})
