import assert from 'node:assert/strict'
import { test } from 'node:test'
import { inMemoryConfigFiles } from './in-memory-config-files.js'
import { iniParser } from './ini-parser.js'

const NO_FILES = inMemoryConfigFiles({})

test('journald.conf: keys are section.key, and a later assignment overrides an earlier one', () => {
  const text = `#  This file is part of systemd.
[Journal]
#Storage=auto
Storage=persistent
Compress=yes
; a comment in the other style
ForwardToSyslog = no
Storage=volatile
`
  const parsed = iniParser.parse('/etc/systemd/journald.conf', text, NO_FILES)
  assert.deepEqual(parsed.effective('Journal.Storage'), {
    key: 'Journal.Storage',
    value: 'volatile',
    file: '/etc/systemd/journald.conf',
    line: 8,
  })
  assert.equal(parsed.all('Journal.Storage').length, 2)
  assert.equal(parsed.effective('Journal.ForwardToSyslog')?.value, 'no')
  assert.equal(parsed.effective('journal.storage'), undefined, 'keys are case-sensitive')
  assert.deepEqual(parsed.problems, [])
})

test('keys before any section are plain; a section that appears again continues', () => {
  const text = `log_level = 2
[sssd]
services = nss, pam
[domain/example.com]
id_provider = ldap
ldap_uri = ldaps://ldap.example.com
[sssd]
domains = example.com
`
  const parsed = iniParser.parse('/etc/sssd/sssd.conf', text, NO_FILES)
  assert.equal(parsed.effective('log_level')?.value, '2')
  assert.equal(parsed.effective('sssd.services')?.value, 'nss, pam')
  assert.equal(parsed.effective('sssd.domains')?.value, 'example.com')
  assert.equal(parsed.effective('domain/example.com.ldap_uri')?.value, 'ldaps://ldap.example.com')
})

test('my.cnf: a bare option is a flag with the value true', () => {
  const parsed = iniParser.parse(
    '/etc/mysql/my.cnf',
    '[mysqld]\nskip-networking\nlocal-infile=0\nbind-address = 127.0.0.1\n',
    NO_FILES,
  )
  assert.equal(parsed.effective('mysqld.skip-networking')?.value, 'true')
  assert.equal(parsed.effective('mysqld.local-infile')?.value, '0')
})

test('a broken section header is a problem, and the lines under it are not given a section', () => {
  const parsed = iniParser.parse(
    '/etc/x.ini',
    '[main]\na = 1\n[broken\nb = 2\nnot a setting\n[other]\nc = 3\n= 4\n',
    NO_FILES,
  )
  assert.deepEqual(parsed.problems, [
    { path: '/etc/x.ini:3', detail: 'a section header without a name or ]' },
    { path: '/etc/x.ini:8', detail: 'a line without a key' },
  ])
  assert.equal(parsed.effective('main.b'), undefined)
  assert.equal(parsed.effective('b'), undefined)
  assert.equal(parsed.effective('other.c')?.value, '3')
})

test('a line of several words without = is a problem', () => {
  const parsed = iniParser.parse('/etc/x.ini', '[a]\nthis is prose\n', NO_FILES)
  assert.deepEqual(parsed.problems, [{ path: '/etc/x.ini:2', detail: 'a line without =' }])
})
