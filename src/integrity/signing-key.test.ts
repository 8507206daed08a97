import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { SigningKey } from './signing-key.js'

test('a created key file is private (0600) and signs what it verifies', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-key-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const key = SigningKey.createFile(join(dir, 'keys/signing.key'))
  assert.equal(statSync(join(dir, 'keys/signing.key')).mode & 0o777, 0o600)
  const signature = key.sign(Buffer.from('baseline'))
  assert.ok(key.verify(Buffer.from('baseline'), signature))
  assert.ok(!key.verify(Buffer.from('baseline!'), signature))

  writeFileSync(join(dir, 'public.pem'), key.publicPem())
  const verifier = SigningKey.fromFile(join(dir, 'public.pem'))
  assert.equal(verifier.fingerprint, key.fingerprint)
  assert.ok(verifier.verify(Buffer.from('baseline'), signature))
  assert.throws(() => verifier.sign(Buffer.from('x')), /holds only a public key/)
})

test('a passphrase and salt always derive the same key; another passphrase does not', () => {
  const salt = '00112233445566778899aabbccddeeff'
  const a = SigningKey.fromPassphrase('correct horse battery staple', salt)
  const b = SigningKey.fromPassphrase('correct horse battery staple', salt)
  const c = SigningKey.fromPassphrase('correct horse battery stable', salt)
  assert.equal(a.fingerprint, b.fingerprint)
  assert.notEqual(a.fingerprint, c.fingerprint)
  assert.throws(() => SigningKey.fromPassphrase('short', salt), /at least 12 characters/)
})

test('a key file that is not an Ed25519 key is refused with its path', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-key-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'bad.key'), 'not a key')
  assert.throws(() => SigningKey.fromFile(join(dir, 'bad.key')), /bad\.key/)
})
