import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sshFingerprint } from './ssh-fingerprint.js'

// Generated with ssh-keygen; the fingerprints are what `ssh-keygen -lf` printed for them.
const ED25519 = 'AAAAC3NzaC1lZDI1NTE5AAAAIM9wkoI0gxx4FD1w8grrd+XCe939wHKEPcAuUTZnFfYi'
const ECDSA =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBE5ago7kdh6uUXh6rzlZyKJMxFiegoB0RyqLXBWzmeqVLbKUYCIuAFQkG+08Ub/IFrRPN1zR/sxnCQP0DnQSMw8='

test('fingerprints are the ones ssh-keygen -l shows', () => {
  assert.equal(
    sshFingerprint(Buffer.from(ED25519, 'base64')),
    'SHA256:Sg5jfhDlS3NDT1uDt7iBk4vJECCI2Gpcfc+kd2KjkzM',
  )
  assert.equal(
    sshFingerprint(Buffer.from(ECDSA, 'base64')),
    'SHA256:a5sovtXFyuByrPEnNvIV8MPoYtIPphWoTMsY5HDEtb8',
  )
})
