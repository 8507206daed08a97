import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DriftwatchError } from '../../errors/index.js'
import { parseFileRules } from './file-rules-loader.js'

function failure(text: string): DriftwatchError {
  try {
    parseFileRules(text, 'rules.yaml')
  } catch (error) {
    assert.ok(error instanceof DriftwatchError)
    return error
  }
  assert.fail('expected the rules to be refused')
}

test('valid rules get their defaults', () => {
  const rules = parseFileRules('rules:\n  - path: /etc\n    content: ["/etc/**"]\n', 'rules.yaml')
  assert.equal(rules.oneFilesystem, true)
  assert.equal(rules.contentMaxBytes, 65536)
  assert.deepEqual(rules.rules[0], {
    path: '/etc',
    attributes: 'all',
    exclude: [],
    content: ['/etc/**'],
    recurse: true,
  })
})

test('a YAML syntax error names file:line:column', () => {
  const error = failure('rules:\n  - path: /etc\n    content: [unclosed\n')
  assert.equal(error.code, 'DW_ERR_RULES_SYNTAX')
  assert.match(error.message, /^rules\.yaml:\d+:\d+: /)
})

test('an unknown attribute names its place and what was expected', () => {
  const error = failure('rules:\n  - path: /etc\n    attributes: [mode, colour]\n')
  assert.equal(error.code, 'DW_ERR_RULES_INVALID')
  assert.match(
    error.message,
    /^rules\.yaml:3:17: rules\[0\]\.attributes: expected a preset \(all, permissions, growing\) or a list of attributes from: type, mode, uid/,
  )
})

test('a relative path and a path with .. are refused', () => {
  assert.match(
    failure('rules:\n  - path: etc\n').message,
    /rules\.yaml:2:11: rules\[0\]\.path: must be an absolute path/,
  )
  assert.match(failure('rules:\n  - path: /etc/../root\n').message, /must not contain "\.\."/)
})

test('an unknown key is refused rather than ignored', () => {
  assert.match(
    failure('rules:\n  - path: /etc\n    recursive: false\n').message,
    /rules\.yaml:2:5: rules\[0\]: .*recursive/,
  )
})

test('two rules for one path are refused', () => {
  assert.match(
    failure('rules:\n  - path: /etc\n  - path: /etc/\n').message,
    /rules\.yaml:3:11: rules\[1\]\.path: the path \/etc\/ already has a rule/,
  )
})
