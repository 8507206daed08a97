import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ChangeTicket } from './change-ticket.js'
import type { DetectedChange } from './detected-change.js'
import { explainByPackage, type PackageFacts, type PackageOwner } from './package-provenance.js'
import { reconcileChange } from './reconcile-change.js'

const NEW_SHA256 = 'c0ffee'.padEnd(64, '0')
const NEW_MD5 = 'b0a7d'.padEnd(32, '0')

function fileChange(
  after: Record<string, string>,
  before: Record<string, string> = {},
): DetectedChange {
  return {
    key: 'file:/usr/sbin/nginx',
    kind: 'modified',
    before: JSON.stringify({
      type: 'file',
      mode: '0755',
      sha256: 'old'.padEnd(64, '0'),
      ...before,
    }),
    after: JSON.stringify({ type: 'file', mode: '0755', ...after }),
    node: { name: 'web-01', tags: [], groups: [] },
    previousScanAt: '2025-03-01T09:00:00Z',
    detectedAt: '2025-03-01T13:00:00Z',
  }
}

function owned(owner: Partial<PackageOwner>): PackageFacts {
  const full: PackageOwner = {
    packageKey: 'package:nginx',
    versionBefore: '1.24.0-1',
    versionAfter: '1.24.0-2',
    recordedDigest: { algorithm: 'sha256', value: NEW_SHA256 },
    ...owner,
  }
  return { ownersOf: (path) => (path === '/usr/sbin/nginx' ? [full] : []) }
}

test('a binary with the content its upgraded package records is explained by that update', () => {
  const result = explainByPackage(fileChange({ sha256: NEW_SHA256 }), owned({}))
  assert.equal(result.explained, true)
  assert.deepEqual(result.explained && result.update, {
    packageKey: 'package:nginx',
    from: '1.24.0-1',
    to: '1.24.0-2',
    algorithm: 'sha256',
  })
  assert.match(result.reason, /package update package:nginx 1\.24\.0-1 → 1\.24\.0-2/)
})

test('a hand-edited binary matches no record and is never explained, even during an upgrade', () => {
  const result = explainByPackage(fileChange({ sha256: 'bad'.padEnd(64, '0') }), owned({}))
  assert.equal(result.explained, false)
  assert.match(result.reason, /matches no record of package:nginx 1\.24\.0-1 → 1\.24\.0-2/)
})

test('matching content without a version change is not a package update', () => {
  const result = explainByPackage(
    fileChange({ sha256: NEW_SHA256 }),
    owned({ versionBefore: '1.24.0-2' }),
  )
  assert.equal(result.explained, false)
  assert.match(result.reason, /stayed at 1\.24\.0-2/)
})

test("dpkg's MD5 records need an md5 attribute on the file element", () => {
  const dpkg = owned({ recordedDigest: { algorithm: 'md5', value: NEW_MD5.toUpperCase() } })
  const without = explainByPackage(fileChange({ sha256: NEW_SHA256 }), dpkg)
  assert.equal(without.explained, false)
  assert.match(without.reason, /no md5 of the new content/)
  const withMd5 = explainByPackage(fileChange({ sha256: NEW_SHA256, md5: NEW_MD5 }), dpkg)
  assert.equal(withMd5.explained, true)
})

test('a setuid bit added in the same interval as the upgrade is not explained', () => {
  const result = explainByPackage(fileChange({ sha256: NEW_SHA256, mode: '4755' }), owned({}))
  assert.equal(result.explained, false)
  assert.match(result.reason, /mode changed too \(0755 → 4755\)/)
})

test('a file no package owns, or one its package keeps no digest of, is not explained', () => {
  const stray = { ...fileChange({ sha256: NEW_SHA256 }), key: 'file:/usr/local/bin/backdoor' }
  assert.match(explainByPackage(stray, owned({})).reason, /no installed package owns/)
  const conffile = explainByPackage(
    fileChange({ sha256: NEW_SHA256 }),
    owned({ recordedDigest: undefined }),
  )
  assert.match(conffile.reason, /records no digest/)
})

test('a newly installed package explains the files it added', () => {
  const added = { ...fileChange({ sha256: NEW_SHA256 }), kind: 'added' as const, before: null }
  const result = explainByPackage(added, owned({ versionBefore: null }))
  assert.equal(result.explained, true)
  assert.match(result.reason, /\(not installed\) → 1\.24\.0-2/)
})

test('reconciliation: no ticket but a package update gives "explained"; a ticket comes first', () => {
  const change = fileChange({ sha256: NEW_SHA256 })
  const explained = reconcileChange(change, [], { packageFacts: owned({}) })
  assert.equal(explained.verdict, 'explained')
  assert.equal(explained.verdict === 'explained' && explained.packageUpdate.to, '1.24.0-2')

  const tampered = reconcileChange(fileChange({ sha256: 'bad'.padEnd(64, '0') }), [], {
    packageFacts: owned({}),
  })
  assert.equal(tampered.verdict, 'unauthorized')
  assert.match(tampered.reasons.join('\n'), /not a package update: the content matches no record/)

  const ticket: ChangeTicket = {
    id: 'CHG-7',
    externalRef: 'CHG0031337',
    title: 'upgrade nginx',
    state: 'implemented',
    approver: 'carol',
    approvedAt: '2025-03-01T08:00:00Z',
    window: { start: '2025-03-01T10:00:00Z', end: '2025-03-01T11:00:00Z' },
    scope: { nodes: ['name:web-01'], elements: ['package:nginx', 'file:/usr/sbin/**'] },
  }
  assert.equal(reconcileChange(change, [ticket], { packageFacts: owned({}) }).verdict, 'authorized')
})
