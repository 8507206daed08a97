import assert from 'node:assert/strict'
import { createSocket } from 'node:dgram'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { once } from 'node:events'
import { DirectoryTarget, openTarget } from '../../../target/index.js'
import { tempDir } from '../../../../test/support/temp-tree.js'
import { LocalCommandRunner } from '../local-command-runner.js'
import type { CollectionProblem, CommandRunner } from '../system-collector.js'
import { networkCollector } from './network-collector.js'
import { interfaceElements } from './network-interfaces.js'

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), content)
  }
}

const noCommands: CommandRunner = {
  run: () => {
    throw new Error('an image is never inspected by running programs')
  },
}

test('an image shows its resolver and hosts entries, never ports or interfaces', (t) => {
  const root = tempDir(t)
  writeFiles(root, {
    'etc/resolv.conf': 'nameserver 192.0.2.53\nsearch corp.example\n',
    'etc/hosts': '127.0.0.1 localhost\n::1 localhost\n',
    // Leftovers in an image are not the state of any running system.
    'proc/net/tcp': '  sl  local_address\n   0: 00000000:0016 00000000:0000 0A 0 0 0 0 0 1 1\n',
    'sys/class/net/eth0/mtu': '1500\n',
  })
  const target = new DirectoryTarget(root, { live: false, description: 'image' })
  const output = networkCollector.collect({ target, commands: noCommands })
  assert.deepEqual(output.elements, [
    {
      key: 'dns:resolver',
      attributes: { nameservers: '192.0.2.53', search: 'corp.example', options: '' },
    },
    { key: 'hosts-entry:localhost', attributes: { addresses: '127.0.0.1,::1' } },
  ])
  assert.deepEqual(output.problems, [])
})

test('an image without resolv.conf or hosts has no such elements and no problems', (t) => {
  const root = tempDir(t)
  mkdirSync(join(root, 'etc'))
  symlinkSync('../run/systemd/resolve/stub-resolv.conf', join(root, 'etc', 'resolv.conf'))
  const target = new DirectoryTarget(root, { live: false, description: 'image' })
  assert.deepEqual(networkCollector.collect({ target, commands: noCommands }), {
    elements: [],
    problems: [],
  })
})

test('interfaces show MAC, MTU, state and all addresses in CIDR notation', (t) => {
  const root = tempDir(t)
  writeFiles(root, {
    'sys/devices/virtual/net/eth0/address': '02:fc:00:00:00:01\n',
    'sys/devices/virtual/net/eth0/mtu': '1400\n',
    'sys/devices/virtual/net/eth0/operstate': 'up\n',
    'sys/class/net/bonding_masters': '\n',
    'proc/net/if_inet6': 'fd000000000000000000000000000002 04 40 00 82     eth0\n',
  })
  symlinkSync('../../devices/virtual/net/eth0', join(root, 'sys/class/net/eth0'))
  const target = new DirectoryTarget(root, { live: false, description: 'fixture' })
  const ip = JSON.stringify([
    { ifname: 'eth0', addr_info: [{ family: 'inet', local: '192.0.2.2', prefixlen: 24 }] },
  ])
  const problems: CollectionProblem[] = []
  const commands = { run: () => ({ status: 0, stdout: ip, stderr: '' }) }
  assert.deepEqual(interfaceElements(target, commands, problems), [
    {
      key: 'interface:eth0',
      attributes: {
        mac: '02:fc:00:00:00:01',
        mtu: 1400,
        state: 'up',
        addresses: '192.0.2.2/24,fd00::2/64',
      },
    },
  ])
  assert.deepEqual(problems, [])

  const ipMissing: CollectionProblem[] = []
  const withoutIp = interfaceElements(target, { run: () => undefined }, ipMissing)
  assert.deepEqual(withoutIp[0]?.unverified, ['addresses'])
  assert.equal(withoutIp[0]?.attributes['addresses'], 'fd00::2/64')
  assert.deepEqual(
    ipMissing.map((problem) => problem.reason),
    ['unavailable'],
  )
})

test('on the live host, a TCP and a UDP port this test opens show up, held by node', async (t) => {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.after(() => server.close())
  const udp = createSocket('udp4')
  udp.bind(0, '127.0.0.1')
  await once(udp, 'listening')
  t.after(() => udp.close())
  const tcpPort = (server.address() as { port: number }).port

  const output = networkCollector.collect({
    target: openTarget({}),
    commands: new LocalCommandRunner(),
  })
  const byKey = new Map(output.elements.map((element) => [element.key, element]))
  for (const key of [`port:tcp/${tcpPort}`, `port:udp/${udp.address().port}`]) {
    const port = byKey.get(key)
    assert.ok(port, `${key} is reported`)
    assert.ok(String(port.attributes['addresses']).split(',').includes('127.0.0.1'))
    assert.ok(String(port.attributes['process']).split(',').includes('node'))
    assert.ok(String(port.attributes['uid']).split(',').includes(String(process.getuid?.())))
    assert.ok(!('pid' in port.attributes))
  }
  const loopback = byKey.get('interface:lo')
  assert.ok(loopback, 'the loopback interface is reported')
  assert.equal(typeof loopback.attributes['mtu'], 'number')
  if (loopback.unverified === undefined) {
    assert.ok(String(loopback.attributes['addresses']).split(',').includes('127.0.0.1/8'))
  }
  for (const problem of output.problems) {
    assert.ok(!problem.detail.includes('\n'), 'problems are one line each')
  }
})
