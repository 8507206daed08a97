import assert from 'node:assert/strict'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { DirectoryTarget } from '../../../target/index.js'
import { tempDir } from '../../../../test/support/temp-tree.js'
import type { CollectionProblem } from '../system-collector.js'
import { readSysctlConfiguration } from './sysctl-config.js'

function image(
  t: TestContext,
  files: Record<string, string>,
): { root: string; target: DirectoryTarget } {
  const root = tempDir(t)
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), content)
  }
  return { root, target: new DirectoryTarget(root, { live: false, description: 'image' }) }
}

test('files apply in file name order across directories, and /etc/sysctl.conf last', (t) => {
  const { target } = image(t, {
    'usr/lib/sysctl.d/10-vendor.conf': 'kernel.sysrq = 16\nnet.ipv4.ip_forward = 0\n',
    'etc/sysctl.d/05-early.conf': 'kernel.sysrq = 1\n',
    'run/sysctl.d/20-runtime.conf': 'net.ipv4.ip_forward = 1\nvm.swappiness = 10\n',
    'etc/sysctl.conf': 'vm.swappiness = 60\n',
  })
  const { keys } = readSysctlConfiguration(target, [])
  assert.deepEqual(keys.get('kernel.sysrq'), {
    value: '16',
    source: '/usr/lib/sysctl.d/10-vendor.conf',
  })
  assert.deepEqual(keys.get('net.ipv4.ip_forward'), {
    value: '1',
    source: '/run/sysctl.d/20-runtime.conf',
  })
  assert.deepEqual(keys.get('vm.swappiness'), { value: '60', source: '/etc/sysctl.conf' })
})

test('a file in /etc masks the vendor file of the same name, a /dev/null link masks it away', (t) => {
  const { root, target } = image(t, {
    'usr/lib/sysctl.d/50-default.conf': 'kernel.sysrq = 16\nkernel.kptr_restrict = 1\n',
    'etc/sysctl.d/50-default.conf': 'kernel.sysrq = 0\n',
    'usr/lib/sysctl.d/60-vendor.conf': 'net.ipv4.tcp_syncookies = 0\n',
    'lib/sysctl.d/50-default.conf': 'fs.suid_dumpable = 2\n',
    'etc/sysctl.d/README': 'kernel.this.is = not a conf file\n',
  })
  symlinkSync('/dev/null', join(root, 'etc/sysctl.d/60-vendor.conf'))
  const problems: CollectionProblem[] = []
  const { keys } = readSysctlConfiguration(target, problems)
  assert.deepEqual([...keys.keys()], ['kernel.sysrq'])
  assert.deepEqual(keys.get('kernel.sysrq'), {
    value: '0',
    source: '/etc/sysctl.d/50-default.conf',
  })
  assert.deepEqual(problems, [])
})

test('values are whitespace normalised; slashed keys, "-" lines and patterns are understood', (t) => {
  const { target } = image(t, {
    'etc/sysctl.d/90-local.conf': [
      '# comment',
      '; comment',
      'net.ipv4.tcp_rmem =\t4096   87380 6291456  ',
      'net/ipv4/conf/eth0.100/rp_filter=1',
      '-net.ipv6.conf.all.disable_ipv6 = 1',
      'net.ipv4.conf.*.rp_filter = 2',
      '-net.ipv4.conf.lo.rp_filter',
    ].join('\n'),
  })
  const { keys, globs } = readSysctlConfiguration(target, [])
  const source = '/etc/sysctl.d/90-local.conf'
  assert.deepEqual(keys.get('net.ipv4.tcp_rmem'), { value: '4096 87380 6291456', source })
  assert.deepEqual(keys.get('net.ipv4.conf.eth0/100.rp_filter'), { value: '1', source })
  assert.deepEqual(keys.get('net.ipv6.conf.all.disable_ipv6'), { value: '1', source })
  assert.deepEqual(keys.get('net.ipv4.conf.lo.rp_filter'), { value: null, source })
  assert.deepEqual(globs.get('net.ipv4.conf.*.rp_filter')?.value, '2')
})

test('lines that are not assignments are problems naming file and line; the rest applies', (t) => {
  const { target } = image(t, {
    'etc/sysctl.conf': 'kernel.sysrq\n = 1\nnet..x = 1\nvm.swappiness = 10\n',
  })
  const problems: CollectionProblem[] = []
  const { keys } = readSysctlConfiguration(target, problems)
  assert.deepEqual([...keys.keys()], ['vm.swappiness'])
  assert.deepEqual(
    problems.map((problem) => `${problem.path} ${problem.reason}`),
    [
      '/etc/sysctl.conf:1 malformed',
      '/etc/sysctl.conf:2 malformed',
      '/etc/sysctl.conf:3 malformed',
    ],
  )
  assert.ok(
    problems.every((problem) => !problem.detail.includes('sysrq')),
    'no content quoted',
  )
})
