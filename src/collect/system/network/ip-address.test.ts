import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ipv6FromHex, normalizeIpAddress, procNetAddress } from './ip-address.js'

test('IPv6 addresses are shown compressed, however they were written', () => {
  assert.equal(normalizeIpAddress('0:0:0:0:0:0:0:1'), '::1')
  assert.equal(normalizeIpAddress('2001:DB8:0:0:1:0:0:1'), '2001:db8::1:0:0:1')
  assert.equal(normalizeIpAddress('fe80:0::1%eth0'), 'fe80::1%eth0')
  assert.equal(normalizeIpAddress('::ffff:127.0.0.1'), '::ffff:127.0.0.1')
  assert.equal(normalizeIpAddress('192.0.2.1'), '192.0.2.1')
})

test('text that is not an address is refused', () => {
  for (const text of ['localhost', '01.2.3.4', '256.0.0.1', '1.2.3', '::1%', '::1%a b', '']) {
    assert.equal(normalizeIpAddress(text), undefined, text)
  }
})

test('kernel socket addresses are read in the kernel byte order', () => {
  assert.equal(procNetAddress('0100007F', 'LE'), '127.0.0.1')
  assert.equal(procNetAddress('7F000001', 'BE'), '127.0.0.1')
  assert.equal(procNetAddress('00000000', 'LE'), '0.0.0.0')
  assert.equal(procNetAddress('00000000000000000000000000000000', 'LE'), '::')
  assert.equal(procNetAddress('00000000000000000000000001000000', 'LE'), '::1')
  assert.equal(procNetAddress('0000000000000000FFFF00000100007F', 'LE'), '::ffff:127.0.0.1')
  assert.equal(procNetAddress('B80D0120000000000000000001000000', 'LE'), '2001:db8::1')
  assert.equal(procNetAddress('0100007', 'LE'), undefined)
  assert.equal(procNetAddress('0100007G', 'LE'), undefined)
})

test('interface addresses in network byte order are shown compressed', () => {
  assert.equal(ipv6FromHex('fe8000000000000000fc00fffe000001'), 'fe80::fc:ff:fe00:1')
  assert.equal(ipv6FromHex('fe80'), undefined)
})
