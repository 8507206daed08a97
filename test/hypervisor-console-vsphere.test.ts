// The console collecting vcsim: a VM an operator creates and one she powers off are changes on
// their VM nodes with the verbs and the user vCenter's event history names.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { consoleHarness, type Harness } from './support/console-harness.js'
import { startVcsim } from './support/vcsim.js'
import { VsphereOperator } from './support/vsphere-operations.js'

const OPERATOR = 'ops-bob@vsphere.local'

async function changesOf(h: Harness, name: string): Promise<any[]> {
  const nodes = await h.call('GET', '/api/v1/nodes?kind=vm', { token: h.tokens.auditor })
  const node = nodes.body.find((candidate: any) => candidate.name === name)
  assert.ok(node, `no VM node ${name}`)
  return (await h.call('GET', `/api/v1/changes?node=${node.id}`, { token: h.tokens.auditor })).body
}

test('vSphere VM creation and power-off are changes with the user from the event history', async (t) => {
  const vcsim = await startVcsim({
    clusters: 1,
    hostsPerCluster: 1,
    standaloneHosts: 0,
    vmsPerPool: 2,
  })
  t.after(() => vcsim.stop())
  const saved = { ...process.env }
  process.env['DRIFTWATCH_VSPHERE_USER'] = 'collector@vsphere.local'
  process.env['DRIFTWATCH_VSPHERE_PASSWORD'] = 'collector-password'
  t.after(() => {
    for (const name of ['DRIFTWATCH_VSPHERE_USER', 'DRIFTWATCH_VSPHERE_PASSWORD']) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
  })
  const operator = new VsphereOperator(vcsim.url, vcsim.fingerprint, OPERATOR)
  t.after(() => operator.close())
  const h = await consoleHarness(t, 'sqlite')
  const added = await h.call('POST', '/api/v1/hypervisors', {
    token: h.tokens.admin,
    body: { spec: `vsphere:${vcsim.url}?fingerprint=${vcsim.fingerprint}`, name: 'vcenter' },
  })
  assert.equal(added.status, 201, JSON.stringify(added.body))
  const collect = () =>
    h.call('POST', `/api/v1/hypervisors/${added.body.id}/collect`, { token: h.tokens.operator })
  const first = await collect()
  assert.equal(first.status, 200, JSON.stringify(first.body))
  assert.ok(first.body.vms >= 2)
  const running = (await h.call('GET', '/api/v1/vms', { token: h.tokens.auditor })).body.find(
    (vm: any) => vm.state === 'running',
  )
  assert.ok(running, 'vcsim starts its VMs powered on')

  await operator.createVm('web-new', 'DC0_C0_H0')
  await operator.powerOff(running.name)
  const second = await collect()
  assert.equal(second.status, 200, JSON.stringify(second.body))
  assert.equal(second.body.appeared, 1)

  const created = await changesOf(h, 'web-new')
  assert.ok(created.length >= 1)
  for (const change of created) {
    assert.equal(change.kind, 'added')
    assert.deepEqual(change.lifecycle, ['created'])
    assert.equal(change.performedBy, OPERATOR)
    assert.equal(change.verdict, 'unauthorized')
  }
  const stopped = (await changesOf(h, running.name)).find((change) => change.key.startsWith('vm:'))
  assert.deepEqual(stopped.lifecycle, ['stopped'])
  assert.equal(stopped.performedBy, OPERATOR)
  const vms = (await h.call('GET', '/api/v1/vms?monitored=false', { token: h.tokens.auditor })).body
  assert.equal(vms.find((vm: any) => vm.name === 'web-new').lastChange.performedBy, OPERATOR)
})
