import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compareDebianVersions } from './debian-version.js'

test('Debian versions sort as dpkg sorts them', () => {
  const ordered = ['1.0~rc1', '1.0', '1.0-1', '1.0-2', '1.0.1', '1.2', '1.10', '2.0+b1', '1:0.1']
  for (let i = 1; i < ordered.length; i++) {
    assert.ok(
      compareDebianVersions(ordered[i - 1] as string, ordered[i] as string) < 0,
      `${ordered[i - 1]} < ${ordered[i]}`,
    )
    assert.ok(compareDebianVersions(ordered[i] as string, ordered[i - 1] as string) > 0)
  }
  assert.equal(compareDebianVersions('5.2.15-2+b13', '5.2.15-2+b13'), 0)
  assert.ok(compareDebianVersions('1:9.2p1-2+deb12u3', '1:9.2p1-2+deb12u2') > 0)
})
