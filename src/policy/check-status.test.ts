import assert from 'node:assert/strict'
import { test } from 'node:test'
import { elementCheckStatus } from './check-status.js'
import { evaluateElementCheck } from './evaluate-check.js'
import type { ElementCheck } from './policy.js'

const element = { key: 'file:/etc/motd', attributes: { type: 'file', mode: '0666', uid: 0 } }
// A related element (`of`) the visited one does not hold: a status that judged the visited
// element instead would differ on the `of` leaves.
const related = {
  key: 'file:/etc/motd/meta',
  attributes: { type: 'directory', taken: '2025-12-30T00:00:00Z', mode: '0600' },
}
const scope = {
  element: (key: string) => (key === related.key ? related : undefined),
  now: Date.parse('2026-01-01T00:00:00Z'),
}

// Leaves that pass, fail, and are not applicable or pass or fail for want of the attribute.
const LEAVES: readonly ElementCheck[] = [
  { attribute: 'type', equals: 'file' },
  { attribute: 'mode', modeAtMost: '0644' },
  { attribute: 'size', atMost: 10, missing: 'not-applicable' },
  { attribute: 'size', atMost: 10, missing: 'pass' },
  { attribute: 'size', atMost: 10 },
  { of: '{key}/meta', attribute: 'type', equals: 'file' },
  { of: '{key}/meta', attribute: 'mode', modeAtMost: '0644' },
  { of: '{key}/absent', attribute: 'type', equals: 'file', missing: 'not-applicable' },
  { of: '{key}/meta', attribute: 'taken', withinDays: 3 },
  { of: '{key}/meta', attribute: 'taken', withinDays: 1 },
]

test('a status alone is the status of the full evaluation, for any nesting of all, any and none', () => {
  const checks: ElementCheck[] = [...LEAVES]
  for (const a of LEAVES) {
    for (const b of LEAVES) {
      checks.push({ all: [a, b] }, { any: [a, b] }, { none: [a, b] })
      checks.push({ none: [{ any: [a, b] }, { all: [b] }] }, { all: [{ none: [a] }, b] })
    }
  }
  const seen = new Set<string>()
  for (const check of checks) {
    const status = evaluateElementCheck(check, element, scope).status
    assert.equal(elementCheckStatus(check, element, scope), status, JSON.stringify(check))
    seen.add(status)
  }
  assert.deepEqual([...seen].sort(), ['fail', 'not-applicable', 'pass'])
})
