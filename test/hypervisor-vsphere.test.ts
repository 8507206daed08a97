// The vSphere connector against vcsim (govmomi's vCenter simulator, built here from Debian's
// sources) over real HTTPS: inventory, changes an operator makes through the same API, the event
// log naming that operator, and the failures an operator must see: wrong password, an ended
// session, a closed port, a server that does not speak SOAP, a certificate that is not the pinned one.
import { createHash } from 'node:crypto'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Element } from '../src/model/index.js'
import type { HypervisorInventory } from '../src/hypervisor/index.js'
import {
  VimClient,
  VsphereConnector,
  parseVsphereTarget,
  retrieveFromView,
  text,
  withContainerView,
} from '../src/hypervisor/vsphere/index.js'
import { driftwatch } from './support/run-cli.js'
import { startScriptedHttps } from './support/scripted-https.js'
import { startVcsim, type RunningVcsim } from './support/vcsim.js'
import { VsphereOperator } from './support/vsphere-operations.js'

const READER = 'driftwatch-reader@vsphere.local'
const OPERATOR = 'ops-alice@vsphere.local'

function connectorFor(
  vcsim: { url: string; fingerprint: string },
  user = READER,
  password = 'reader-password',
): VsphereConnector {
  const url = new URL(vcsim.url)
  url.searchParams.set('fingerprint', vcsim.fingerprint)
  return new VsphereConnector({
    ...parseVsphereTarget(url.href, {
      DRIFTWATCH_VSPHERE_USER: user,
      DRIFTWATCH_VSPHERE_PASSWORD: password,
    }),
    timeoutMs: 10_000,
  })
}

function elementOf(inventory: HypervisorInventory, key: string): Element | undefined {
  return [...inventory.elements, ...inventory.vms.flatMap((vm) => vm.elements)].find(
    (element) => element.key === key,
  )
}

function attributesOf(inventory: HypervisorInventory, key: string): Element['attributes'] {
  const element = elementOf(inventory, key)
  assert.ok(element, `${key} is in the inventory`)
  return element.attributes
}

describe('vSphere connector against vcsim', () => {
  let vcsim: RunningVcsim
  let connector: VsphereConnector
  let operator: VsphereOperator

  before(async () => {
    vcsim = await startVcsim({ clusters: 1, hostsPerCluster: 3, standaloneHosts: 1, vmsPerPool: 2 })
    connector = connectorFor(vcsim)
    operator = new VsphereOperator(vcsim.url, vcsim.fingerprint, OPERATOR)
  })
  after(async () => {
    await connector?.close()
    await operator?.close()
    await vcsim?.stop()
  })

  test('inventories datacenters, clusters, hosts with their settings and services, and VMs', async () => {
    const inventory = await connector.inventory()
    assert.equal(inventory.kind, 'vsphere')
    assert.equal(inventory.uri, vcsim.url)
    assert.equal(inventory.complete, true)
    assert.deepEqual(inventory.problems, [])
    assert.match(String(attributesOf(inventory, 'vmm:server')['product']), /vCenter Server/)
    assert.deepEqual(attributesOf(inventory, 'vmm:datacenter/DC0'), { name: 'DC0' })
    assert.equal(attributesOf(inventory, 'vmm:cluster/DC0/DC0_C0')['drsEnabled'], true)

    const hosts = inventory.elements
      .filter((e) => /^vmm:host\/[^/]+$/.test(e.key))
      .map((e) => e.key)
    assert.deepEqual(hosts.sort(), [
      'vmm:host/DC0_C0_H0',
      'vmm:host/DC0_C0_H1',
      'vmm:host/DC0_C0_H2',
      'vmm:host/DC0_H0',
    ])
    assert.equal(attributesOf(inventory, 'vmm:host/DC0_C0_H1')['cluster'], 'DC0_C0')
    assert.equal(attributesOf(inventory, 'vmm:host/DC0_H0')['cluster'], null)
    assert.equal(attributesOf(inventory, 'vmm:host/DC0_H0')['connectionState'], 'connected')
    assert.deepEqual(attributesOf(inventory, 'vmm:host/DC0_C0_H0/service/TSM-SSH'), {
      label: 'SSH',
      running: false,
      policy: 'off',
    })
    assert.deepEqual(
      attributesOf(inventory, 'vmm:host/DC0_C0_H0/option/Config.HostAgent.log.level'),
      { value: 'info' },
    )
    assert.equal(attributesOf(inventory, 'vmm:server/option/event.maxAge')['value'], 30)

    assert.deepEqual(
      inventory.vms.map((vm) => vm.name),
      ['DC0_C0_RP0_VM0', 'DC0_C0_RP0_VM1', 'DC0_H0_VM0', 'DC0_H0_VM1'],
    )
    const vm = inventory.vms.find((record) => record.name === 'DC0_H0_VM0')
    assert.ok(vm)
    assert.equal(vm.state, 'running')
    const attributes = attributesOf(inventory, 'vm:DC0_H0_VM0')
    assert.equal(attributes['uuid'], vm.uuid)
    assert.equal(attributes['state'], 'running')
    assert.equal(attributes['host'], 'DC0_H0')
    assert.equal(attributes['datacenter'], 'DC0')
    assert.equal(attributes['numCPU'], 1)
    assert.equal(attributes['memoryMB'], 32)
    assert.equal(attributes['disks'], 1)
    assert.equal(attributes['extra.govcsim'], 'TRUE')
    assert.equal(vm.macs.length, 1)
    assert.equal(attributes['nic.0.mac'], vm.macs[0])
    assert.equal(attributes['nic.0.network'], 'DC0_DVPG0')
    const config = elementOf(inventory, `vm-config:${vm.uuid}`)
    assert.ok(config?.content)
    assert.equal(
      config.attributes['sha256'],
      createHash('sha256').update(config.content).digest('hex'),
    )
    assert.equal(JSON.parse(config.content).hardware.memoryMB, '32')
    for (const element of [...inventory.elements, ...inventory.vms.flatMap((r) => r.elements)]) {
      for (const value of Object.values(element.attributes)) {
        assert.ok(value === null || ['string', 'number', 'boolean'].includes(typeof value))
      }
    }
  })

  test('driftwatch snapshot --hypervisor vsphere:… prints its elements, credentials from the environment', async () => {
    const spec = `vsphere:${vcsim.url}?fingerprint=${vcsim.fingerprint}`
    const env = { DRIFTWATCH_VSPHERE_USER: READER, DRIFTWATCH_VSPHERE_PASSWORD: 'cli-secret' }
    const run = await driftwatch(['snapshot', '--hypervisor', spec, '--format', 'json'], env)
    assert.equal(run.code, 0, run.stderr)
    const printed = JSON.parse(run.stdout)
    assert.equal(printed.target, `vsphere:${vcsim.url}`)
    const keys = printed.elements.map((element: { key: string }) => element.key)
    for (const key of ['vmm:server', 'vmm:host/DC0_H0', 'vm:DC0_H0_VM0', 'vnet:DC0/VM Network']) {
      assert.ok(keys.includes(key), key)
    }
    assert.ok(keys.some((key: string) => key.startsWith('vm-config:')))
    assert.deepEqual(printed.notChecked, [])
    assert.doesNotMatch(run.stdout + run.stderr, /cli-secret/)

    const refused = await driftwatch(['snapshot', '--hypervisor', `vsphere:${vcsim.url}`], env)
    assert.equal(refused.code, 3)
    assert.match(refused.stderr, /DW_ERR_HYPERVISOR_UNREACHABLE|certificate/)
    assert.doesNotMatch(refused.stderr, /cli-secret/)
  })

  test('sees power off and on, reconfiguration, creation and destruction, and who did each', async () => {
    const since = new Date().toISOString()
    const before = await connector.inventory()
    const reconfiguredBefore = before.vms.find((vm) => vm.name === 'DC0_C0_RP0_VM0')
    const destroyed = before.vms.find((vm) => vm.name === 'DC0_C0_RP0_VM1')
    assert.ok(reconfiguredBefore && destroyed)

    await operator.powerOff('DC0_H0_VM0')
    await operator.powerOff('DC0_H0_VM1')
    await operator.powerOn('DC0_H0_VM1')
    await operator.reconfigure('DC0_C0_RP0_VM0', {
      memoryMB: 64,
      extraConfig: { 'isolation.tools.copy.disable': 'TRUE', 'RemoteDisplay.maxConnections': '1' },
    })
    await operator.createVm('web-new', 'DC0_C0_H2')
    await operator.powerOff('DC0_C0_RP0_VM1')
    await operator.destroy('DC0_C0_RP0_VM1')
    await operator.setHostOption('DC0_C0_H0', 'UserVars.ESXiShellInteractiveTimeOut', 900)

    const after = await connector.inventory()
    assert.equal(after.complete, true)
    assert.equal(attributesOf(after, 'vm:DC0_H0_VM0')['state'], 'shutoff')
    assert.equal(attributesOf(after, 'vm:DC0_H0_VM1')['state'], 'running')
    const reconfigured = attributesOf(after, 'vm:DC0_C0_RP0_VM0')
    assert.equal(reconfigured['memoryMB'], 64)
    assert.equal(reconfigured['extra.isolation.tools.copy.disable'], 'TRUE')
    assert.equal(reconfigured['extra.RemoteDisplay.maxConnections'], '1')
    const configKey = `vm-config:${reconfiguredBefore.uuid}`
    assert.notEqual(
      attributesOf(after, configKey)['sha256'],
      attributesOf(before, configKey)['sha256'],
    )
    const created = after.vms.find((vm) => vm.name === 'web-new')
    assert.ok(created, 'the created VM is in the inventory')
    assert.equal(created.state, 'shutoff')
    assert.equal(attributesOf(after, 'vm:web-new')['numCPU'], 2)
    assert.equal(attributesOf(after, 'vm:web-new')['nic.0.type'], 'VirtualVmxnet3')
    assert.equal(created.macs.length, 1)
    assert.equal(elementOf(after, 'vm:DC0_C0_RP0_VM1'), undefined)
    assert.equal(elementOf(after, `vm-config:${destroyed.uuid}`), undefined)
    assert.deepEqual(
      attributesOf(after, 'vmm:host/DC0_C0_H0/option/UserVars.ESXiShellInteractiveTimeOut'),
      { value: 900 },
    )

    const events = await connector.events(since)
    assert.deepEqual(
      events.map((event) => [event.verb, event.vmName, event.user]),
      [
        ['stopped', 'DC0_H0_VM0', OPERATOR],
        ['stopped', 'DC0_H0_VM1', OPERATOR],
        ['started', 'DC0_H0_VM1', OPERATOR],
        ['reconfigured', 'DC0_C0_RP0_VM0', OPERATOR],
        ['created', 'web-new', OPERATOR],
        ['stopped', 'DC0_C0_RP0_VM1', OPERATOR],
        ['deleted', 'DC0_C0_RP0_VM1', OPERATOR],
      ],
    )
    assert.equal(events.find((event) => event.verb === 'created')?.vmUuid, created.uuid)
    assert.equal(
      events.find((event) => event.verb === 'reconfigured')?.vmUuid,
      reconfiguredBefore.uuid,
    )
    // Deleted: vCenter no longer knows the VM, so its UUID cannot be looked up.
    assert.equal(events.find((event) => event.verb === 'deleted')?.vmUuid, null)
    assert.equal(new Set(events.map((event) => event.eventId)).size, events.length)
    assert.ok(events.every((event) => event.at >= since && event.message !== ''))
    assert.deepEqual(await connector.events(new Date(Date.now() + 60_000).toISOString()), [])
  })

  test('logs in again when vCenter ended its session behind its back', async () => {
    await connector.inventory()
    const ended = await operator.terminateSessionsOf(READER)
    assert.ok(ended.length >= 1, 'the reader had a session to end')
    const inventory = await connector.inventory()
    assert.ok(inventory.vms.length > 0)
    const now = await operator.sessionKeysOf(READER)
    assert.equal(now.length, 1)
    assert.ok(!ended.includes(now[0] as string), 'a new session, not the ended one')
  })

  test('refuses a certificate that is not the pinned one, and the system CAs do not vouch for vcsim', async () => {
    const pinnedElsewhere = connectorFor({ url: vcsim.url, fingerprint: 'ab'.repeat(32) })
    await assert.rejects(pinnedElsewhere.inventory(), {
      code: 'DW_ERR_HYPERVISOR_UNREACHABLE',
      message: /fingerprint [0-9a-f]{64} is not the pinned abab/,
    })
    await pinnedElsewhere.close()
    const systemTrust = new VsphereConnector(
      parseVsphereTarget(vcsim.url, {
        DRIFTWATCH_VSPHERE_USER: READER,
        DRIFTWATCH_VSPHERE_PASSWORD: 'p',
      }),
    )
    await assert.rejects(systemTrust.inventory(), {
      code: 'DW_ERR_HYPERVISOR_UNREACHABLE',
      message: /certificate.*fingerprint=/,
    })
    await systemTrust.close()
  })
})

test('a wrong password is DW_ERR_HYPERVISOR_UNREACHABLE naming the URL and user, not the password', async (t) => {
  const vcsim = await startVcsim({ vmsPerPool: 1, user: 'admin', password: 'the-right-one' })
  const wrong = connectorFor(vcsim, 'admin', 'a-wrong-secret')
  const right = connectorFor(vcsim, 'admin', 'the-right-one')
  t.after(async () => {
    await wrong.close()
    await right.close()
    await vcsim.stop()
  })
  const error = await wrong.inventory().then(
    () => assert.fail('the login was accepted'),
    (rejection: unknown) => rejection as Error & { code: string },
  )
  assert.equal(error.code, 'DW_ERR_HYPERVISOR_UNREACHABLE')
  assert.match(error.message, new RegExp(`${vcsim.url}.*refused the login of admin.*InvalidLogin`))
  assert.doesNotMatch(error.message, /a-wrong-secret/)
  assert.equal((await right.inventory()).vms.length, 2)
})

test('a closed port is DW_ERR_HYPERVISOR_UNREACHABLE at once', async () => {
  const port = await new Promise<number>((resolve) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as AddressInfo
      server.close(() => resolve(free))
    })
  })
  const connector = connectorFor({
    url: `https://127.0.0.1:${port}/sdk`,
    fingerprint: 'ab'.repeat(32),
  })
  const started = Date.now()
  await assert.rejects(connector.inventory(), {
    code: 'DW_ERR_HYPERVISOR_UNREACHABLE',
    message: new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`),
  })
  assert.ok(Date.now() - started < 2000, 'no waiting for a timeout')
  await connector.close()
})

test('an answer that is not SOAP is DW_ERR_HYPERVISOR_RESPONSE naming the method', async (t) => {
  const answers = ['this is not <SOAP', '<html><body>Service Unavailable</body></html>']
  const server = await startScriptedHttps(t, () => ({ body: answers.shift() ?? '' }))
  const connector = connectorFor(server)
  t.after(() => connector.close())
  await assert.rejects(connector.inventory(), {
    code: 'DW_ERR_HYPERVISOR_RESPONSE',
    message:
      /answered RetrieveServiceContent with something that is not a SOAP answer: not well-formed/,
  })
  await assert.rejects(connector.inventory(), {
    code: 'DW_ERR_HYPERVISOR_RESPONSE',
    message: /no SOAP Envelope\/Body/,
  })
})

test('reads a property result vCenter pages, with the session cookie and its API version', async (t) => {
  // vcsim answers every RetrievePropertiesEx in one piece; vCenter pages by maxObjects.
  const soap = (method: string, returnval: string): string =>
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body><${method}Response xmlns="urn:vim25">${returnval}</${method}Response></soapenv:Body></soapenv:Envelope>`
  const vm = (id: string): string =>
    `<objects><obj type="VirtualMachine">${id}</obj><propSet><name>name</name><val xsi:type="xsd:string">${id}-name</val></propSet></objects>`
  const server = await startScriptedHttps(t, (body) => {
    const method = /<soapenv:Body><(\w+)/.exec(body)?.[1] ?? ''
    switch (method) {
      case 'RetrieveServiceContent':
        return {
          body: soap(
            method,
            '<returnval><rootFolder type="Folder">group-d1</rootFolder><propertyCollector type="PropertyCollector">propertyCollector</propertyCollector>' +
              '<viewManager type="ViewManager">ViewManager</viewManager><about><apiVersion>8.0.3.0</apiVersion></about>' +
              '<sessionManager type="SessionManager">SessionManager</sessionManager></returnval>',
          ),
        }
      case 'Login':
        return {
          headers: { 'Set-Cookie': 'vmware_soap_session="52abc"; Path=/; HttpOnly; Secure' },
          body: soap(method, '<returnval><key>52abc</key></returnval>'),
        }
      case 'CreateContainerView':
        return {
          body: soap(method, '<returnval type="ContainerView">session[52abc]view-1</returnval>'),
        }
      case 'RetrievePropertiesEx':
        return { body: soap(method, `<returnval><token>page-2</token>${vm('vm-1')}</returnval>`) }
      case 'ContinueRetrievePropertiesEx':
        return { body: soap(method, `<returnval>${vm('vm-2')}</returnval>`) }
      default:
        return { body: soap(method, '') }
    }
  })
  const client = new VimClient({
    endpoint: new URL(server.url),
    trust: { kind: 'fingerprint', sha256: server.fingerprint },
    userName: 'reader',
    password: 'pw',
  })
  t.after(() => client.close())
  const objects = await client.withSession((serviceContent) =>
    withContainerView(client, serviceContent, ['VirtualMachine'], (view) =>
      retrieveFromView(client, serviceContent, view, [{ type: 'VirtualMachine', paths: ['name'] }]),
    ),
  )
  assert.deepEqual(
    objects.map((object) => text(object.properties.get('name'))),
    ['vm-1-name', 'vm-2-name'],
  )
  const continued = server.received.find((request) =>
    request.body.includes('<ContinueRetrievePropertiesEx'),
  )
  assert.match(continued?.body ?? '', /<token>page-2<\/token>/)
  assert.equal(continued?.headers.cookie, 'vmware_soap_session="52abc"')
  assert.equal(continued?.headers.soapaction, '"urn:vim25/8.0.3.0"')
  assert.match(
    server.received.find((request) => request.body.includes('<RetrievePropertiesEx'))?.body ?? '',
    /<options><maxObjects>500<\/maxObjects><\/options>/,
  )
})
