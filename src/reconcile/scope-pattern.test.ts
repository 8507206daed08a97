import assert from 'node:assert/strict'
import { test } from 'node:test'
import picomatch from 'picomatch'
import { compileElementPattern, compileNodeSelector } from './scope-pattern.js'

test('element patterns match as picomatch does, shortcuts included', () => {
  const patterns = [
    '/etc/nginx/**',
    '/etc/nginx/*',
    '/opt/app-0*',
    '/etc/*.conf',
    '/usr/lib/x/*.so',
  ]
  const paths = [
    '/etc/nginx',
    '/etc/nginx/nginx.conf',
    '/etc/nginx/conf.d/a.conf',
    '/etc/nginx.conf',
    '/etc/nginxx/a',
    '/opt/app-01',
    '/opt/app-0',
    '/opt/app-01/x',
    '/etc/a.conf',
    '/etc/sub/a.conf',
    '/usr/lib/x/a.so',
    '/usr/lib/x/y/a.so',
    '/etc/.hidden.conf',
  ]
  for (const pattern of patterns)
    for (const path of paths)
      assert.equal(
        compileElementPattern(`file:${pattern}`).matches(path),
        picomatch(pattern, { dot: true })(path),
        `${pattern} on ${path}`,
      )
})

test('outside file: patterns a slash is an ordinary character', () => {
  assert.equal(compileElementPattern('port:tcp/*').matches('tcp/443'), true)
  assert.equal(compileElementPattern('package:nginx*').matches('nginx'), true)
  assert.equal(compileElementPattern('package:nginx*').matches('nginx-common:amd64'), true)
  assert.equal(compileElementPattern('package:nginx*').matches('libnginx'), false)
  assert.equal(compileElementPattern('sysctl:net.ipv4.*').matches('net.ipv4.ip_forward'), true)
})

test('node name globs match as picomatch does', () => {
  for (const glob of ['web-*', 'web-0[12]', 'db-??', '*'])
    for (const name of ['web-01', 'web-03', 'db-01', 'db-001', 'web-'])
      assert.equal(
        compileNodeSelector(`name:${glob}`).matches({ name, tags: [], groups: [] }),
        picomatch(glob, { dot: true })(name),
        `${glob} on ${name}`,
      )
})

test('a pattern without a kind, an empty one or a negation is refused with the reason', () => {
  assert.throws(() => compileElementPattern('/etc/passwd'), /is not kind:GLOB/)
  assert.throws(() => compileElementPattern('file:'), /has no pattern/)
  assert.throws(() => compileElementPattern('file:!/etc/**'), /cannot be a negation/)
  assert.throws(() => compileNodeSelector('host:web-01'), /name:GLOB, tag:TAG or group:NAME/)
})
