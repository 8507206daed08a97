import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { DetectedChange } from './detected-change.js'
import { packageFactsFrom, type FileProvenance } from './file-provenance.js'
import { explainByPackage } from './package-provenance.js'

const RECORDED = '4849ecbe9d2b355e172db25fc4546799'

const change: DetectedChange = {
  key: 'file:/usr/bin/curl',
  kind: 'modified',
  before: JSON.stringify({ type: 'file', mode: '0755', sha256: 'a'.repeat(64) }),
  after: JSON.stringify({ type: 'file', mode: '0755', sha256: 'b'.repeat(64) }),
  node: { name: 'web-01', tags: [], groups: [] },
  previousScanAt: '2026-11-27T09:00:00Z',
  detectedAt: '2026-11-27T10:00:00Z',
}

function record(observed: string): FileProvenance {
  return {
    path: '/usr/bin/curl',
    packageKey: 'package:curl',
    version: '7.88.1-10+deb12u8',
    algorithm: 'md5',
    recorded: RECORDED,
    observed,
  }
}

test("an agent's MD5 of the new content, matching the upgraded version's record, explains the change", () => {
  const facts = packageFactsFrom([record(RECORDED.toUpperCase())], (key) =>
    key === 'package:curl' ? '7.88.1-10+deb12u7' : undefined,
  )
  const explanation = explainByPackage(change, facts)
  assert.equal(explanation.explained, true)
  assert.match(
    explanation.reason,
    /package:curl 7\.88\.1-10\+deb12u7 → 7\.88\.1-10\+deb12u8: the new content has the md5 it records/,
  )
})

test('the same record does not explain a package that did not change, nor content that differs from it', () => {
  const unchanged = explainByPackage(
    change,
    packageFactsFrom([record(RECORDED)], () => undefined),
  )
  assert.equal(unchanged.explained, false)
  assert.match(unchanged.reason, /package:curl stayed at 7\.88\.1-10\+deb12u8/)
  const edited = explainByPackage(
    change,
    packageFactsFrom([record('f'.repeat(32))], () => '7.88.1-10+deb12u7'),
  )
  assert.equal(edited.explained, false)
  assert.match(edited.reason, /the content matches no record of package:curl/)
  const installed = explainByPackage(
    change,
    packageFactsFrom([record(RECORDED)], () => null),
  )
  assert.equal(installed.explained, true)
  assert.match(installed.reason, /\(not installed\) → 7\.88\.1-10\+deb12u8/)
})
