import assert from 'node:assert/strict'
import { test } from 'node:test'
import { textWithoutCredentials, uriWithoutCredentials } from './uri-without-credentials.js'

test('takes user and password out of an ssh URI and leaves the rest', () => {
  assert.equal(
    uriWithoutCredentials('qemu+ssh://admin:s3cret@kvm1.example:2222/system?keyfile=/k'),
    'qemu+ssh://kvm1.example:2222/system?keyfile=/k',
  )
  assert.equal(uriWithoutCredentials('qemu+ssh://root@kvm1/system'), 'qemu+ssh://kvm1/system')
  assert.equal(uriWithoutCredentials('https://u:p@vc.example/sdk'), 'https://vc.example/sdk')
})

test('leaves URIs without a login alone, @ in a path or query included', () => {
  for (const uri of [
    'qemu:///system',
    'test:///tmp/node@1.xml',
    'test+unix:///default?socket=/s@x',
  ])
    assert.equal(uriWithoutCredentials(uri), uri)
})

test('takes logins out of URIs quoted in error text', () => {
  assert.equal(
    textWithoutCredentials("error: failed to connect to 'qemu+ssh://root:pw@kvm1/system'"),
    "error: failed to connect to 'qemu+ssh://kvm1/system'",
  )
})
