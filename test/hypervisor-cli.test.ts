// `driftwatch hypervisor add|list|remove` and `driftwatch vms` on a console database, with a
// hypervisor (libvirt's test driver reading a node file) collected in between.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { openFleetStore } from '../src/store/open-fleet-store.js'
import { testConsoleContext } from './support/console-harness.js'
import { libvirtAvailable } from './support/libvirt-daemon.js'
import { driftwatch } from './support/run-cli.js'
import { tempDir } from './support/temp-tree.js'
import { testDomainXml } from './support/test-domain.js'

const SKIP = libvirtAvailable() ? false : 'virsh is not installed (scripts/ensure-libvirt.sh)'

const NODE = `<node>
  ${testDomainXml({ name: 'web-01', uuid: '33333333-0000-0000-0000-000000000001', memoryMib: 256 })}
  ${testDomainXml({ name: 'db-01', uuid: '33333333-0000-0000-0000-000000000002', memoryMib: 256 })}
</node>`

test(
  'hypervisors are added, listed and removed from the CLI, and vms lists what they report',
  { skip: SKIP },
  async (t) => {
    const data = tempDir(t)
    const store = await openFleetStore(join(data, 'console.db'))
    t.after(() => store.close())
    const node = join(tempDir(t), 'node.xml')
    writeFileSync(node, NODE)
    const uri = `test://${node}`

    const added = await driftwatch([
      'hypervisor',
      'add',
      'libvirt',
      uri,
      '--name',
      'lab',
      '--interval',
      '120',
      '--data',
      data,
    ])
    assert.equal(added.code, 0, added.stderr)
    assert.match(
      added.stdout,
      /hypervisor 1 added: lab \(libvirt:test:\/\/.*node\.xml\), collected every 120 s/,
    )
    const again = await driftwatch(['hypervisor', 'add', 'libvirt', uri, '--data', data])
    assert.equal(again.code, 2)
    assert.match(again.stderr, /already collected/)
    const secret = await driftwatch([
      'hypervisor',
      'add',
      'vsphere',
      'https://root:pw@vc/sdk',
      '--data',
      data,
    ])
    assert.notEqual(secret.code, 0)
    assert.match(secret.stderr, /holds a password/)
    assert.doesNotMatch(secret.stderr, /pw@/)
    const tooOften = await driftwatch([
      'hypervisor',
      'add',
      'libvirt',
      'qemu:///system',
      '--interval',
      '5',
      '--data',
      data,
    ])
    assert.notEqual(tooOften.code, 0)
    assert.match(tooOften.stderr, /at least 60 seconds/)
    assert.match(
      (await driftwatch(['hypervisor', 'list', '--data', data])).stdout,
      /^1\tlab\tlibvirt:test:.*\tnot collected yet\n$/,
    )

    const context = await testConsoleContext(store)
    const [hypervisor] = await store.listHypervisors()
    assert.ok(hypervisor)
    const outcome = await context.hypervisors.collect(hypervisor)
    assert.equal(outcome.vms, 2)
    assert.match(
      (await driftwatch(['hypervisor', 'list', '--data', data])).stdout,
      /collected .*, 2 VMs/,
    )

    const vms = await driftwatch(['vms', '--unmonitored', '--data', data])
    assert.equal(vms.code, 0, vms.stderr)
    assert.match(vms.stdout, /^lab\tdb-01\trunning\tNONE\tNO OWNER\/NO SERVICE\t-$/m)
    assert.match(vms.stdout, /^2 VMs, 2 that no agent monitors$/m)
    const json = JSON.parse((await driftwatch(['vms', '--format', 'json', '--data', data])).stdout)
    assert.deepEqual(
      json.map((vm: any) => [vm.name, vm.uuid]),
      [
        ['db-01', '33333333-0000-0000-0000-000000000002'],
        ['web-01', '33333333-0000-0000-0000-000000000001'],
      ],
    )

    // A user alone is no secret: the ssh login of a libvirt URI is accepted.
    const ssh = await driftwatch([
      'hypervisor',
      'add',
      'libvirt',
      'qemu+ssh://root@kvm1/system',
      '--data',
      data,
    ])
    assert.equal(ssh.code, 0, ssh.stderr)
    assert.match(ssh.stdout, /added: kvm1 \(libvirt:qemu\+ssh:\/\/root@kvm1\/system\)/)
    assert.equal((await driftwatch(['hypervisor', 'remove', '2', '--data', data])).code, 0)

    assert.equal((await driftwatch(['hypervisor', 'remove', '1', '--data', data])).code, 0)
    assert.equal((await driftwatch(['hypervisor', 'remove', '1', '--data', data])).code, 2)
    // Removed, it may be added again.
    const readded = await driftwatch([
      'hypervisor',
      'add',
      'libvirt',
      uri,
      '--name',
      'lab',
      '--data',
      data,
    ])
    assert.equal(readded.code, 0, readded.stderr)
    assert.equal((await driftwatch(['hypervisor', 'remove', '3', '--data', data])).code, 0)
    assert.match(
      (await driftwatch(['vms', '--data', data])).stdout,
      /^0 VMs, 0 that no agent monitors$/m,
    )
  },
)
