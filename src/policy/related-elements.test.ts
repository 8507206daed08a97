import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Element } from '../model/index.js'
import { DriftwatchError } from '../errors/index.js'
import { elementsRead } from './elements-read.js'
import { evaluateCheck } from './evaluate-check.js'
import { EvaluationContext } from './evaluation-context.js'
import type { Check, Policy } from './policy.js'
import { parsePolicy } from './policy-parser.js'

const NOW = new Date('2026-03-01T12:00:00Z')

function contextOf(elements: readonly Element[], now = NOW): EvaluationContext {
  return new EvaluationContext(
    new Map(elements.map((element) => [element.key, element])),
    { kind: 'hypervisor', tags: [], live: true },
    now,
  )
}

// Two ESXi hosts as the vSphere connector reports them: the host, its settings and services
// beside it under its key.
const HOSTS: Element[] = [
  { key: 'vmm:host/esx1', attributes: { name: 'esx1', connectionState: 'connected' } },
  { key: 'vmm:host/esx1/option/Security.AccountLockFailures', attributes: { value: 3 } },
  { key: 'vmm:host/esx1/service/TSM-SSH', attributes: { running: false, policy: 'off' } },
  { key: 'vmm:host/esx2', attributes: { name: 'esx2', connectionState: 'connected' } },
  { key: 'vmm:host/esx2/service/TSM-SSH', attributes: { running: true, policy: 'on' } },
  { key: 'vmm:host/esx3', attributes: { name: 'esx3', connectionState: 'disconnected' } },
]

const EVERY_CONNECTED_HOST = {
  elements: 'vmm:host/*',
  where: { attribute: 'connectionState', equals: 'connected' },
} as const

test('of: each host is judged by the setting element beside it; an absent one is named', () => {
  const check: Check = {
    forEach: {
      ...EVERY_CONNECTED_HOST,
      check: {
        of: '{key}/option/Security.AccountLockFailures',
        attribute: 'value',
        atLeast: 1,
        atMost: 5,
      },
    },
  }
  const result = evaluateCheck(check, contextOf(HOSTS))
  assert.equal(result.status, 'fail')
  assert.equal(
    result.actual,
    '1 of 2 fail: vmm:host/esx2 (vmm:host/esx2/option/Security.AccountLockFailures is absent)',
  )
  assert.equal(result.expected, '≥ 1 and ≤ 5')
  assert.deepEqual(result.evidence, [{ element: 'vmm:host/esx2' }])
})

test('of: several related checks in all, with the value that fails as what was found', () => {
  const check: Check = {
    forEach: {
      ...EVERY_CONNECTED_HOST,
      check: {
        all: [
          { of: '{key}/service/TSM-SSH', attribute: 'running', equals: false },
          { of: '{key}/service/TSM-SSH', attribute: 'policy', equals: 'off' },
        ],
      },
    },
  }
  const result = evaluateCheck(check, contextOf(HOSTS))
  assert.equal(result.status, 'fail')
  assert.equal(result.actual, '1 of 2 fail: vmm:host/esx2 (true; on)')
  assert.equal(result.expected, 'false; off')

  const allStopped = HOSTS.map((element) =>
    element.key === 'vmm:host/esx2/service/TSM-SSH'
      ? { ...element, attributes: { running: false, policy: 'off' } }
      : element,
  )
  assert.equal(evaluateCheck(check, contextOf(allStopped)).status, 'pass')
})

test('of: a missing related element follows missing:, as a missing attribute does', () => {
  const check: Check = {
    forEach: {
      ...EVERY_CONNECTED_HOST,
      check: {
        of: '{key}/option/Security.AccountLockFailures',
        attribute: 'value',
        atMost: 5,
        missing: 'pass',
      },
    },
  }
  assert.equal(evaluateCheck(check, contextOf(HOSTS)).status, 'pass')
})

const SNAPSHOTS: Check = {
  forEach: {
    elements: 'vm:*',
    where: { attribute: 'snapshots', atLeast: 1 },
    check: { attribute: 'snapshotOldest', withinDays: 3 },
  },
}

test('withinDays: measured from the time of the assessment, not the clock', () => {
  const vms: Element[] = [
    { key: 'vm:fresh', attributes: { snapshots: 1, snapshotOldest: '2026-02-27T12:00:00.000Z' } },
    { key: 'vm:stale', attributes: { snapshots: 2, snapshotOldest: '2026-01-15T08:30:00.000Z' } },
    { key: 'vm:none', attributes: { snapshots: 0, snapshotOldest: null } },
  ]
  const result = evaluateCheck(SNAPSHOTS, contextOf(vms))
  assert.equal(result.status, 'fail')
  assert.equal(result.actual, '1 of 2 fail: vm:stale (2026-01-15T08:30:00.000Z)')
  assert.equal(result.expected, 'at most 3 days old')
  // A month earlier, both snapshots were young (one was taken in the future, which holds).
  const earlier = evaluateCheck(SNAPSHOTS, contextOf(vms, new Date('2026-01-16T00:00:00Z')))
  assert.equal(earlier.status, 'pass')
})

test('withinDays: a value that is not a time fails rather than passing', () => {
  const vms: Element[] = [{ key: 'vm:odd', attributes: { snapshots: 1, snapshotOldest: 'soon' } }]
  const result = evaluateCheck(SNAPSHOTS, contextOf(vms))
  assert.equal(result.status, 'fail')
  assert.equal(result.actual, '1 of 1 fail: vm:odd (soon)')
})

function policyWith(check: Check): Policy {
  return {
    id: 'p',
    version: '1',
    title: 'p',
    reads: [],
    source: 'p.yaml',
    tests: [{ id: 't', title: 't', severity: 'low', refs: {}, check, remediation: 'r' }],
  }
}

test('what of: templates name is read, the forEach glob standing for {key}', () => {
  const accounts = policyWith({
    forEach: {
      elements: 'user:*',
      check: { of: 'home-{key}', attribute: 'mode', modeAtMost: '0750' },
    },
  })
  const selection = elementsRead([accounts])
  assert.equal(selection.wants('home-user:alice'), true)
  assert.equal(selection.wants('home-group:alice'), false)
})

test('an of: without {key} is refused with its place in the file', () => {
  const text = [
    'id: p',
    'version: "1"',
    'title: p',
    'tests:',
    '  - id: t',
    '    title: t',
    '    severity: low',
    '    remediation: r',
    '    check:',
    '      forEach:',
    "        elements: 'vmm:host/*'",
    '        check:',
    "          of: 'vmm:host/esx1/option/X'",
    '          attribute: value',
    '          equals: 1',
    '',
  ].join('\n')
  assert.throws(
    () => parsePolicy(text, 'hosts.yaml'),
    (error: unknown) =>
      error instanceof DriftwatchError &&
      error.code === 'DW_ERR_POLICY_INVALID' &&
      /^hosts\.yaml:\d+:\d+: .*\{key\}/.test(error.message),
  )
})
