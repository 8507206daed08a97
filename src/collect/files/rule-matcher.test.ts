import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LIVE_HOST_RULES } from './default-file-rules.js'
import { fileRule } from './file-rules.js'
import { RuleMatcher } from './rule-matcher.js'

test('the most specific rule governs a path; of two at one path, the first', () => {
  const matcher = new RuleMatcher({
    ...LIVE_HOST_RULES,
    rules: [
      fileRule({ path: '/' }),
      fileRule({ path: '/etc/' }),
      fileRule({ path: '/etc/ssh' }),
      fileRule({ path: '/etc/ssh', recurse: false }),
      fileRule({ path: '/etc/ssh/sshd_config' }),
    ],
  })
  const governing = (path: string): number | undefined => matcher.ruleFor(path)?.index
  assert.equal(governing('/usr/bin/ls'), 0)
  assert.equal(governing('/'), 0)
  assert.equal(governing('/etc'), 1)
  assert.equal(governing('/etcetera/x'), 0)
  assert.equal(governing('/etc/ssh'), 2)
  assert.equal(governing('/etc/ssh/moduli'), 2)
  assert.equal(governing('/etc/ssh/sshd_config'), 4)
  assert.equal(governing('/etc/ssh/sshd_config.d/a.conf'), 2)
  const etc = matcher.rules[1]!
  assert.equal(matcher.startsOtherRule('/etc/ssh', etc), true)
  assert.equal(matcher.startsOtherRule('/etc/ssh/moduli', etc), false)
  assert.equal(matcher.startsOtherRule('/etc', etc), false)
})

test('without a rule at the root, paths outside every rule have none', () => {
  const matcher = new RuleMatcher({ ...LIVE_HOST_RULES, rules: [fileRule({ path: '/etc' })] })
  assert.equal(matcher.ruleFor('/usr/bin/ls'), undefined)
  assert.equal(matcher.ruleFor('/etc/passwd')?.index, 0)
})
