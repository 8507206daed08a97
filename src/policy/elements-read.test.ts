import assert from 'node:assert/strict'
import { test } from 'node:test'
import { elementsRead } from './elements-read.js'
import type { Check, Policy } from './policy.js'

function policyOf(checks: readonly Check[], applies?: Policy['applies']): Policy {
  return {
    id: 'p',
    version: '1',
    title: 'p',
    reads: [],
    source: 'p.yaml',
    ...(applies === undefined ? {} : { applies }),
    tests: checks.map((check, index) => ({
      id: `t${index}`,
      title: 't',
      severity: 'low',
      refs: {},
      check,
      remediation: 'r',
    })),
  }
}

test('the elements read are those every kind of check looks up, and nothing else', () => {
  const selection = elementsRead(
    [
      policyOf(
        [
          { sysctl: { key: 'net.ipv4.ip_forward', equals: 0 } },
          { service: { name: 'ssh.service', equals: 'enabled' } },
          { package: { name: 'telnetd', installed: false } },
          { port: { proto: 'tcp', port: 23, listening: false } },
          { groupMembers: { group: 'sudo', atMost: 3 } },
          {
            any: [
              { element: { key: 'mount:/tmp', attribute: 'options', matches: 'nodev' } },
              { file: { path: '/etc/shadow', modeAtMost: '0640' } },
            ],
          },
        ],
        { os: ['debian'] },
      ),
    ],
    ['os:hostname'],
  )
  for (const key of [
    'sysctl:net.ipv4.ip_forward',
    'service:ssh.service',
    'package:telnetd',
    'package:telnetd:i386',
    'port:tcp/23',
    'group:sudo',
    'user:alice',
    'mount:/tmp',
    'os:release',
    'os:hostname',
  ]) {
    assert.equal(selection.wants(key), true, key)
  }
  for (const key of [
    'sysctl:kernel.ostype',
    'service:cron.service',
    'package:bash',
    'port:tcp/22',
    'group:adm',
    'mount:/',
    'interface:eth0',
    'cron:/etc/crontab:1',
  ]) {
    assert.equal(selection.wants(key), false, key)
  }
  assert.deepEqual(selection.keysUnder('sysctl:'), ['net.ipv4.ip_forward'])
})

test('forEach globs and the checks under applicability are read too', () => {
  const [emptyPasswords] = policyOf([{ noEmptyPasswords: true }]).tests
  const policy = policyOf([
    { forEach: { elements: 'sudo-rule:*', check: { attribute: 'user', equals: 'root' } } },
  ])
  const selection = elementsRead([
    {
      ...policy,
      tests: [
        ...policy.tests,
        {
          ...emptyPasswords!,
          applies: { when: { package: { name: 'openssh-server', installed: true } } },
        },
      ],
    },
  ])
  assert.equal(selection.wants('sudo-rule:alice ALL=(ALL) ALL'), true)
  assert.equal(selection.wants('package:openssh-server'), true)
  assert.equal(selection.wants('user:root'), true)
  assert.equal(selection.wants('os:release'), false)
})
