import assert from 'node:assert/strict'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { release } from 'node:os'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { DirectoryTarget, openTarget } from '../../../target/index.js'
import { tempDir } from '../../../../test/support/temp-tree.js'
import { LocalCommandRunner } from '../local-command-runner.js'
import type { CommandRunner } from '../system-collector.js'
import { kernelCollector } from './kernel-collector.js'

const noCommands: CommandRunner = {
  run: () => {
    throw new Error('an image is never inspected by running programs')
  },
}

test('an image shows configured sysctls, modules and fstab, and nothing of a running kernel', (t) => {
  const root = tempDir(t)
  const files: Record<string, string> = {
    'etc/sysctl.d/60-hardening.conf': 'kernel.kptr_restrict = 2\nnet.ipv4.ip_forward=0\n',
    'etc/sysctl.conf': 'net.ipv4.ip_forward = 1\n',
    'etc/modprobe.d/cis.conf':
      'install cramfs /bin/true\nblacklist cramfs\nblacklist usb-storage\n',
    'etc/modules-load.d/netfilter.conf': 'br_netfilter\n',
    'etc/fstab': 'UUID=1a2b / ext4 errors=remount-ro 0 1\n',
    // Leftovers in an image are not the state of a running kernel.
    'proc/sys/kernel/ostype': 'Linux\n',
    'proc/modules': 'ext4 1118208 1 - Live 0x0\n',
    'proc/self/mounts': '/dev/vda / ext4 rw 0 0\n',
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), content)
  }
  const target = new DirectoryTarget(root, { live: false, description: 'image' })
  const output = kernelCollector.collect({ target, commands: noCommands })
  assert.deepEqual(output.problems, [])
  assert.deepEqual(output.elements, [
    {
      key: 'sysctl:kernel.kptr_restrict',
      attributes: { configured: '2', source: '/etc/sysctl.d/60-hardening.conf', value: '2' },
    },
    {
      key: 'sysctl:net.ipv4.ip_forward',
      attributes: { configured: '1', source: '/etc/sysctl.conf', value: '1' },
    },
    {
      key: 'kernel-module:br_netfilter',
      attributes: { blacklisted: false, loadAtBoot: true },
    },
    {
      key: 'kernel-module:cramfs',
      attributes: { blacklisted: true, install: '/bin/true', loadAtBoot: false },
    },
    {
      key: 'kernel-module:usb_storage',
      attributes: { blacklisted: true, loadAtBoot: false },
    },
    {
      key: 'fstab:/',
      attributes: {
        device: 'UUID=1a2b',
        fstype: 'ext4',
        options: 'errors=remount-ro',
        dump: 0,
        pass: 1,
      },
    },
  ])
})

test('on the live host, the running kernel, its sysctls, modules and mounts are recorded', () => {
  const output = kernelCollector.collect({
    target: openTarget({}),
    commands: new LocalCommandRunner(),
  })
  const byKey = new Map(output.elements.map((element) => [element.key, element.attributes]))
  assert.equal(byKey.get('sysctl:kernel.ostype')?.['value'], 'Linux')
  assert.equal(byKey.get('os:kernel')?.['release'], release())
  assert.equal(byKey.get('sysctl:kernel.osrelease')?.['value'], release())
  for (const volatile of [
    'sysctl:kernel.random.uuid',
    'sysctl:fs.file-nr',
    'sysctl:kernel.ns_last_pid',
  ]) {
    assert.equal(byKey.get(volatile)?.['value'], undefined, `${volatile} changes on its own`)
  }
  assert.ok(byKey.has('mount:/'), 'the root file system is mounted')
  assert.ok(
    ![...byKey.keys()].some(
      (key) => /^mount:\/(proc|sys|dev)(\/|$)/.test(key) && key !== 'mount:/dev/shm',
    ),
  )

  const modules = output.elements.filter((element) => element.key.startsWith('kernel-module:'))
  if (existsSync('/proc/modules')) {
    const loaded = readFileSync('/proc/modules', 'utf8').split('\n').filter(Boolean)
    for (const line of loaded.slice(0, 5)) {
      const name = line.split(' ')[0] as string
      assert.equal(byKey.get(`kernel-module:${name}`)?.['loaded'], true, name)
    }
  } else {
    // A kernel built without loadable modules: nothing is loaded, and that is known, not a problem.
    assert.ok(modules.every((element) => element.attributes['loaded'] === false))
    assert.ok(!output.problems.some((problem) => problem.path === '/proc/modules'))
  }
  for (const problem of output.problems.filter((problem) => problem.path.startsWith('/proc/'))) {
    assert.notEqual(
      problem.reason,
      'malformed',
      `${problem.path}: the running kernel's own tables parse`,
    )
  }
})
