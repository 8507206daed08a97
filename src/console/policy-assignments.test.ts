import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LIVE_HOST_RULES } from '../collect/index.js'
import { resolvePolicies } from '../policy/index.js'
import { AssignedPolicies, parseAssignment } from './policy-assignments.js'

test('a policy assigned to a tag judges, and is collected for, only the nodes with that tag', async () => {
  const [baseline, kvm] = await resolvePolicies(['debian-baseline', 'kvm-host'])
  const assigned = new AssignedPolicies(
    [
      { policy: baseline!, tags: [] },
      { policy: kvm!, tags: ['hypervisor'] },
    ],
    LIVE_HOST_RULES,
  )
  const hypervisor = assigned.forNode(['hypervisor', 'prod'])
  const web = assigned.forNode(['web'])
  assert.deepEqual(
    hypervisor.policies.map((p) => p.id),
    ['debian-baseline', 'kvm-host'],
  )
  assert.deepEqual(
    web.policies.map((p) => p.id),
    ['debian-baseline'],
  )
  const contentOf = (rules: typeof web.spec): string[] =>
    rules.rules.flatMap((rule) => rule.content)
  assert.ok(contentOf(hypervisor.spec).includes('/etc/libvirt/qemu.conf'))
  assert.ok(!contentOf(web.spec).includes('/etc/libvirt/qemu.conf'))
  assert.equal(hypervisor.reads('file:/etc/libvirt/qemu.conf'), true)
  assert.equal(web.reads('file:/usr/lib/x86_64-linux-gnu/libc.so.6'), false)
  assert.equal(web.reads('package:openssh-server'), true)
})

test('--policy ID@TAG,TAG names a policy and the tags it is assigned to', () => {
  assert.deepEqual(parseAssignment('kvm-host@hypervisor,lab'), {
    name: 'kvm-host',
    tags: ['hypervisor', 'lab'],
  })
  assert.deepEqual(parseAssignment('./site/policy.yaml'), { name: './site/policy.yaml', tags: [] })
  assert.deepEqual(parseAssignment('debian-baseline'), { name: 'debian-baseline', tags: [] })
})

test("a hypervisor's inventory and its VMs are judged only by policies that read what a hypervisor reports", async () => {
  const policies = await resolvePolicies([
    'privileged-access',
    'kvm-host',
    'vm-config',
    'vsphere-host',
  ])
  const assigned = new AssignedPolicies(
    policies.map((policy) => ({ policy, tags: [] })),
    LIVE_HOST_RULES,
  )
  assert.deepEqual(
    assigned.forNode([], true).policies.map((p) => p.id),
    ['vm-config', 'vsphere-host'],
  )
  assert.equal(assigned.forNode([], false).policies.length, 4)
})
