import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseVsphereTarget } from './vsphere-target.js'

const PIN = 'AB:'.repeat(31) + 'AB'

test('takes the user and password from the URL, percent-decoded, and defaults the path to /sdk', () => {
  const target = parseVsphereTarget('https://ops%40vsphere.local:p%40ss@vc.example', {})
  assert.equal(target.endpoint.href, 'https://vc.example/sdk')
  assert.equal(target.userName, 'ops@vsphere.local')
  assert.equal(target.password, 'p@ss')
  assert.deepEqual(target.trust, { kind: 'system' })
})

test('takes what the URL leaves out from DRIFTWATCH_VSPHERE_USER and DRIFTWATCH_VSPHERE_PASSWORD', () => {
  const environment = { DRIFTWATCH_VSPHERE_USER: 'env-user', DRIFTWATCH_VSPHERE_PASSWORD: 'env-pw' }
  const fromEnvironment = parseVsphereTarget('https://vc.example:8443/sdk', environment)
  assert.equal(fromEnvironment.endpoint.href, 'https://vc.example:8443/sdk')
  assert.equal(fromEnvironment.userName, 'env-user')
  assert.equal(fromEnvironment.password, 'env-pw')
  const userInUrl = parseVsphereTarget('https://auditor@vc.example/sdk', environment)
  assert.equal(userInUrl.userName, 'auditor')
  assert.equal(userInUrl.password, 'env-pw')
})

test('pins a SHA-256 fingerprint written with colons in any case, or trusts nothing when asked', () => {
  const pinned = parseVsphereTarget(`https://u:p@vc.example/sdk?fingerprint=${PIN}`, {})
  assert.deepEqual(pinned.trust, { kind: 'fingerprint', sha256: 'ab'.repeat(32) })
  assert.equal(
    pinned.endpoint.href,
    'https://vc.example/sdk',
    'options are not part of the endpoint',
  )
  const insecure = parseVsphereTarget('https://u:p@vc.example/sdk?insecure=true', {})
  assert.deepEqual(insecure.trust, { kind: 'insecure' })
})

test('refuses what cannot be right, naming the URL but never the password', () => {
  const cases: [string, RegExp][] = [
    ['http://u:secret@vc.example/sdk', /https only/],
    ['https://u:secret@vc.example/sdk?fingerprint=abc', /64 hex digits/],
    [`https://u:secret@vc.example/sdk?fingerprint=${PIN}&insecure=true`, /not both/],
    ['https://u:secret@vc.example/sdk?insecure=yes', /true or false/],
    ['https://u:secret@vc.example/sdk?thumbprint=ab', /unknown option "thumbprint"/],
    ['https://vc.example/sdk', /no user/],
    ['https://u@vc.example/sdk', /no password for u: set DRIFTWATCH_VSPHERE_PASSWORD/],
    ['https://u:secret@vc example/sdk', /"https:\/\/vc example\/sdk" is not a URL/],
    ['u:secret@vc.example/sdk', /vc.example\/sdk: vSphere is reached over https only/],
  ]
  for (const [text, message] of cases) {
    assert.throws(
      () => parseVsphereTarget(text, {}),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'DW_ERR_USAGE', text)
        assert.match(error.message, message)
        assert.doesNotMatch(error.message, /secret/)
        return true
      },
    )
  }
})
