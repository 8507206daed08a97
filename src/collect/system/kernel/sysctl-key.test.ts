import assert from 'node:assert/strict'
import { test } from 'node:test'
import { dottedSysctlKey, isSysctlGlob, sysctlKeyComponents } from './sysctl-key.js'

test('dotted and slashed keys name the same setting', () => {
  assert.deepEqual(sysctlKeyComponents('net.ipv4.ip_forward'), ['net', 'ipv4', 'ip_forward'])
  assert.deepEqual(sysctlKeyComponents('net/ipv4/ip_forward'), ['net', 'ipv4', 'ip_forward'])
  assert.deepEqual(sysctlKeyComponents('/net/ipv4/ip_forward'), ['net', 'ipv4', 'ip_forward'])
})

test('a VLAN interface with a dot in its name is written either way and shown as sysctl -a does', () => {
  const expected = ['net', 'ipv4', 'conf', 'enp3s0.200', 'forwarding']
  assert.deepEqual(sysctlKeyComponents('net.ipv4.conf.enp3s0/200.forwarding'), expected)
  assert.deepEqual(sysctlKeyComponents('net/ipv4/conf/enp3s0.200/forwarding'), expected)
  assert.equal(dottedSysctlKey(expected), 'net.ipv4.conf.enp3s0/200.forwarding')
})

test('keys with spaces, control characters or empty and parent components are refused', () => {
  for (const written of [
    'net..ipv4',
    'net/../../etc/shadow',
    'kernel.sys rq',
    'a.\u001b[31m',
    '',
    '.',
  ]) {
    assert.equal(sysctlKeyComponents(written), undefined, JSON.stringify(written))
  }
})

test('a key with *, ? or [ is a pattern', () => {
  assert.ok(isSysctlGlob(['net', 'ipv4', 'conf', '*', 'rp_filter']))
  assert.ok(!isSysctlGlob(['net', 'ipv4', 'conf', 'all', 'rp_filter']))
})
