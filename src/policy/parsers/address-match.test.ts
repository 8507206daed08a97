import assert from 'node:assert/strict'
import { test } from 'node:test'
import { matchAddressList } from './address-match.js'

test('CIDR blocks of IPv4 and IPv6 match the addresses inside them', () => {
  assert.equal(matchAddressList('10.1.2.3', '10.0.0.0/8'), 1)
  assert.equal(matchAddressList('11.1.2.3', '10.0.0.0/8'), 0)
  assert.equal(matchAddressList('192.168.4.20', '192.168.4.20'), 1)
  assert.equal(matchAddressList('2001:db8::17', '2001:db8::/32'), 1)
  assert.equal(matchAddressList('2001:db9::17', '2001:db8::/32'), 0)
  assert.equal(matchAddressList('::ffff:10.1.2.3', '10.0.0.0/8'), 1)
  assert.equal(matchAddressList('10.1.2.3', '::/0'), 0, 'an IPv4 address is not in an IPv6 block')
})

test('a negated entry that matches rules the address out', () => {
  assert.equal(matchAddressList('10.9.1.1', '10.0.0.0/8,!10.9.0.0/16'), -1)
  assert.equal(matchAddressList('10.8.1.1', '10.0.0.0/8,!10.9.0.0/16'), 1)
})

test('entries that are not addresses are wildcard patterns', () => {
  assert.equal(matchAddressList('192.168.1.7', '192.168.1.*'), 1)
  assert.equal(matchAddressList('192.168.10.7', '192.168.1.?'), 0)
})

test('lists sshd rejects are invalid, with or without an address to match', () => {
  assert.equal(matchAddressList(undefined, '10.0.0.1/8'), 'invalid', 'host bits set')
  assert.equal(matchAddressList(undefined, '10.0.0.0/33'), 'invalid', 'prefix too long')
  assert.equal(matchAddressList('10.0.0.1', '10.0.0.0/8,,'), 'invalid', 'empty entry')
  assert.equal(matchAddressList(undefined, '10.0.0.0/8,fe80::/10'), 0)
})
