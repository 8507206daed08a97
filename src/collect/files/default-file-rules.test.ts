import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LIVE_HOST_RULES, WHOLE_ROOT_RULES } from './default-file-rules.js'
import { fileRulesSchema } from './file-rules-schema.js'
import { fileRule } from './file-rules.js'
import { RuleMatcher } from './rule-matcher.js'

test('the built-in rules are valid rules, written out in full', () => {
  for (const rules of [LIVE_HOST_RULES, WHOLE_ROOT_RULES]) {
    assert.deepEqual(fileRulesSchema.parse(rules), rules)
  }
})

test('no rules keep the content of password hashes or private keys', () => {
  const matcher = new RuleMatcher({
    ...LIVE_HOST_RULES,
    rules: [fileRule({ path: '/', content: ['/**'] })],
  })
  const rule = matcher.ruleFor('/etc/shadow')
  assert.ok(rule)
  const neverKept = (path: string): boolean => !matcher.keepsContent(path, rule)
  for (const secret of [
    '/etc/shadow',
    '/etc/gshadow-',
    '/etc/ssh/ssh_host_ed25519_key',
    '/etc/ssl/private/site.pem',
    '/root/.ssh/id_rsa',
  ]) {
    assert.ok(neverKept(secret), secret)
  }
  assert.ok(!neverKept('/etc/ssh/sshd_config'))
})
