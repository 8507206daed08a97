import assert from 'node:assert/strict'
import { test } from 'node:test'
import { escapeRawPath, fsPath, unescapeToRawPath } from './path-escape.js'

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

test('characters that disguise a name are escaped: BOM, C1 controls, bidi overrides', () => {
  const bom = raw([0x2f, 0x61, 0xef, 0xbb, 0xbf, 0x62])
  assert.equal(escapeRawPath(bom), '/a\\xef\\xbb\\xbfb')
  assert.notEqual(
    escapeRawPath(bom),
    escapeRawPath('/ab'),
    'a BOM never vanishes into a shorter name',
  )
  assert.equal(escapeRawPath(raw([0x2f, 0xc2, 0x85])), '/\\xc2\\x85')
  assert.equal(
    escapeRawPath(Buffer.from('/evil\u202Etxt.exe', 'utf8').toString('latin1')),
    '/evil\\xe2\\x80\\xaetxt.exe',
  )
  for (const name of [
    bom,
    raw([0x2f, 0xc2, 0x85]),
    Buffer.from('/x\u2066y', 'utf8').toString('latin1'),
  ]) {
    assert.equal(unescapeToRawPath(escapeRawPath(name)), name)
  }
})

test('every invisible or reordering format character is escaped', () => {
  for (const codePoint of [
    0xad, 0x61c, 0x200b, 0x2028, 0x2029, 0x202a, 0x2060, 0x2064, 0x2066, 0xfeff,
  ]) {
    const name = Buffer.from(`/a${String.fromCodePoint(codePoint)}b`, 'utf8').toString('latin1')
    assert.match(escapeRawPath(name), /^\/a(\\x[0-9a-f]{2})+b$/, `U+${codePoint.toString(16)}`)
  }
})

test('a raw path goes to fs as it is when ASCII, and as its bytes otherwise', () => {
  assert.equal(fsPath('/etc/passwd'), '/etc/passwd')
  assert.deepEqual(fsPath('/tmp/caf\xc3\xa9'), Buffer.from('/tmp/café'))
  assert.deepEqual(fsPath('/tmp/\xff'), Buffer.from([0x2f, 0x74, 0x6d, 0x70, 0x2f, 0xff]))
})

test('a display path of printable ASCII is its own raw path', () => {
  assert.equal(unescapeToRawPath('/etc/ssh/sshd_config'), '/etc/ssh/sshd_config')
  assert.equal(unescapeToRawPath('/tmp/\\xff'), '/tmp/\xff')
})
