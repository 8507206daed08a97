import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { parseAuthorizedKeys } from './authorized-keys.js'

// Generated with ssh-keygen; the fingerprints are what `ssh-keygen -lf` printed for them.
const ED25519 = 'AAAAC3NzaC1lZDI1NTE5AAAAIM9wkoI0gxx4FD1w8grrd+XCe939wHKEPcAuUTZnFfYi'
const ED25519_FINGERPRINT = 'SHA256:Sg5jfhDlS3NDT1uDt7iBk4vJECCI2Gpcfc+kd2KjkzM'
const ECDSA =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBE5ago7kdh6uUXh6rzlZyKJMxFiegoB0RyqLXBWzmeqVLbKUYCIuAFQkG+08Ub/IFrRPN1zR/sxnCQP0DnQSMw8='
const ECDSA_FINGERPRINT = 'SHA256:a5sovtXFyuByrPEnNvIV8MPoYtIPphWoTMsY5HDEtb8'

function parse(text: string): {
  keys: ReturnType<typeof parseAuthorizedKeys>
  problems: CollectionProblem[]
} {
  const problems: CollectionProblem[] = []
  const path = '/home/alice/.ssh/authorized_keys'
  return { keys: parseAuthorizedKeys(configLines(text, path, problems), path, problems), problems }
}

test('keys are read with their type, comment and options as written', () => {
  const { keys, problems } = parse(
    `# laptop\n\nssh-ed25519 ${ED25519} alice@laptop  work key\n` +
      `from="10.0.0.0/8,192.168.1.1",command="echo \\"hi there\\"",no-pty ecdsa-sha2-nistp256 ${ECDSA}\n`,
  )
  assert.deepEqual(problems, [])
  assert.deepEqual(keys, [
    {
      keyType: 'ssh-ed25519',
      fingerprint: ED25519_FINGERPRINT,
      comment: 'alice@laptop  work key',
      options: '',
      line: 3,
    },
    {
      keyType: 'ecdsa-sha2-nistp256',
      fingerprint: ECDSA_FINGERPRINT,
      comment: '',
      options: 'from="10.0.0.0/8,192.168.1.1",command="echo \\"hi there\\"",no-pty',
      line: 4,
    },
  ])
})

test('lines sshd would not accept are problems naming the line, never quoting it', () => {
  const { keys, problems } = parse(
    'ssh-ed25519 not-base64!! x\n' +
      `ssh-rsa ${ED25519} type and data disagree\n` +
      'command="unterminated ssh-ed25519 AAAA\n' +
      'just some text\n' +
      `ssh-ed25519 ${ED25519} evil\u001b]0;title\u0007\n` +
      `ssh-ed25519 ${ED25519} listed twice is one key\n`,
  )
  assert.deepEqual(
    keys.map((key) => key.line),
    [6],
  )
  assert.deepEqual(
    problems.map((problem) => problem.path),
    [1, 2, 3, 4, 5].map((line) => `/home/alice/.ssh/authorized_keys:${line}`),
  )
  for (const problem of problems) {
    assert.equal(problem.reason, 'malformed')
    assert.doesNotMatch(problem.detail, /AAAA|text|evil|disagree/)
  }
})
