import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import { applySysctlFile, type SysctlConfiguration } from './sysctl-config.js'
import { sysctlElements } from './sysctl-elements.js'

function configured(text: string, path = '/etc/sysctl.d/90-local.conf'): SysctlConfiguration {
  const configuration: SysctlConfiguration = { keys: new Map(), globs: new Map() }
  applySysctlFile(configLines(text, path, []), path, configuration, [])
  return configuration
}

test('offline, the configured value is the value the system will run with', () => {
  assert.deepEqual(sysctlElements(configured('net.ipv4.ip_forward = 1\n'), undefined), [
    {
      key: 'sysctl:net.ipv4.ip_forward',
      attributes: { configured: '1', source: '/etc/sysctl.d/90-local.conf', value: '1' },
    },
  ])
})

test('live, a setting that was not applied shows configured and running values side by side', () => {
  const live = new Map([
    ['net.ipv4.ip_forward', '0'],
    ['kernel.ostype', 'Linux'],
  ])
  assert.deepEqual(sysctlElements(configured('net.ipv4.ip_forward = 1\n'), live), [
    { key: 'sysctl:kernel.ostype', attributes: { value: 'Linux' } },
    {
      key: 'sysctl:net.ipv4.ip_forward',
      attributes: { configured: '1', source: '/etc/sysctl.d/90-local.conf', value: '0' },
    },
  ])
})

test('a pattern configures every matching key that no explicit line or exclusion names', () => {
  const configuration = configured(
    [
      'net.ipv4.conf.*.rp_filter = 2',
      'net.ipv4.conf.eth0.rp_filter = 1',
      '-net.ipv4.conf.all.rp_filter',
      'net.ipv4.conf.e*.rp_filter = 0',
    ].join('\n'),
  )
  const live = new Map([
    ['net.ipv4.conf.all.rp_filter', '0'],
    ['net.ipv4.conf.eth0.rp_filter', '1'],
    ['net.ipv4.conf.eth1.rp_filter', '0'],
    ['net.ipv4.conf.lo.rp_filter', '2'],
    ['net.ipv4.conf.lo.forwarding', '0'],
  ])
  const byKey = new Map(sysctlElements(configuration, live).map((e) => [e.key, e.attributes]))
  assert.equal(byKey.get('sysctl:net.ipv4.conf.all.rp_filter')?.['configured'], undefined)
  assert.equal(byKey.get('sysctl:net.ipv4.conf.eth0.rp_filter')?.['configured'], '1')
  assert.equal(byKey.get('sysctl:net.ipv4.conf.eth1.rp_filter')?.['configured'], '0')
  assert.equal(byKey.get('sysctl:net.ipv4.conf.lo.rp_filter')?.['configured'], '2')
  assert.equal(byKey.get('sysctl:net.ipv4.conf.lo.forwarding')?.['configured'], undefined)
  assert.deepEqual(byKey.get('sysctl:net.ipv4.conf.*.rp_filter'), {
    configured: '2',
    source: '/etc/sysctl.d/90-local.conf',
  })
})

test('a configured secret is recorded as a digest, never as itself', () => {
  const secret = '2001:db8:1234:5678:9abc:def0:1234:5678'
  const [element] = sysctlElements(
    configured(`net.ipv6.conf.eth0.stable_secret = ${secret}\n`),
    undefined,
  )
  assert.match(String(element?.attributes['configured']), /^sha256:[0-9a-f]{64}$/)
  assert.ok(!JSON.stringify(element).includes(secret))
})
