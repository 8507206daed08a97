import assert from 'node:assert/strict'
import { test } from 'node:test'
import { escapeRawPath, unescapeToRawPath } from './path-escape.js'

const raw = (bytes: number[]): string => Buffer.from(bytes).toString('latin1')

test('plain ASCII paths are shown as they are', () => {
  assert.equal(escapeRawPath('/etc/ssh/sshd_config'), '/etc/ssh/sshd_config')
})

test('valid UTF-8 names are shown as text', () => {
  assert.equal(
    escapeRawPath(Buffer.from('/srv/café/ünïcode ☃', 'utf8').toString('latin1')),
    '/srv/café/ünïcode ☃',
  )
})

test('invalid bytes, control characters and backslashes are escaped as \\xNN', () => {
  assert.equal(escapeRawPath(raw([0x2f, 0xff, 0x0a, 0x5c, 0x41, 0xc3])), '/\\xff\\x0a\\x5cA\\xc3')
})

test('escaping is reversible for every byte', () => {
  const everyByte = raw([0x2f, ...Array.from({ length: 255 }, (_, i) => i + 1)])
  assert.equal(unescapeToRawPath(escapeRawPath(everyByte)), everyByte)
  const mixed = Buffer.concat([
    Buffer.from('/é/'),
    Buffer.from([0xe9, 0x5c]),
    Buffer.from('\\x41'),
  ]).toString('latin1')
  assert.equal(unescapeToRawPath(escapeRawPath(mixed)), mixed)
})
