import assert from 'node:assert/strict'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { DirectoryTarget } from '../../../target/index.js'
import { tempDir } from '../../../../test/support/temp-tree.js'
import type { CollectionProblem } from '../system-collector.js'
import { readLiveSysctl } from './live-sysctl.js'

test('values are read from /proc/sys with dotted keys; volatile keys and binfmt_misc are not', (t) => {
  const root = tempDir(t)
  const files: Record<string, string> = {
    'proc/sys/kernel/ostype': 'Linux\n',
    'proc/sys/net/ipv4/tcp_rmem': '4096\t131072\t6291456\n',
    'proc/sys/net/ipv4/conf/eth0.100/rp_filter': '1\n',
    'proc/sys/kernel/random/uuid': '6f1d…\n',
    'proc/sys/fs/file-nr': '889 0 2466170\n',
    'proc/sys/fs/binfmt_misc/status': 'enabled\n',
    'proc/sys/net/ipv4/tcp_fastopen_key': '00000000-00000000-00000000-00000000\n',
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), content)
  }
  const target = new DirectoryTarget(root, { live: false, description: 'fixture' })
  const problems: CollectionProblem[] = []
  assert.deepEqual(
    readLiveSysctl(target, problems),
    new Map([
      ['kernel.ostype', 'Linux'],
      ['net.ipv4.conf.eth0/100.rp_filter', '1'],
      ['net.ipv4.tcp_rmem', '4096 131072 6291456'],
    ]),
  )
  assert.deepEqual(problems, [])
})

test('keys asked for by name read as the walk reads them, and only those', (t) => {
  const root = tempDir(t)
  const files: Record<string, string> = {
    'proc/sys/kernel/ostype': 'Linux\n',
    'proc/sys/kernel/osrelease': '6.1.0\n',
    'proc/sys/net/ipv4/tcp_rmem': '4096\t131072\t6291456\n',
    'proc/sys/net/ipv4/conf/eth0.100/rp_filter': '1\n',
    'proc/sys/kernel/random/uuid': '6f1d…\n',
    'proc/sys/fs/binfmt_misc/status': 'enabled\n',
  }
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), content)
  }
  symlinkSync('ipv4', join(root, 'proc/sys/net/linked'))
  const target = new DirectoryTarget(root, { live: false, description: 'fixture' })
  const everything = readLiveSysctl(target, [])
  const asked = [
    'kernel.ostype',
    'net.ipv4.tcp_rmem',
    'net.ipv4.conf.eth0/100.rp_filter',
    // None of these is a value the walk records: volatile, not a sysctl, behind a link, absent,
    // a directory, or not the dotted form the walk names it by.
    'kernel.random.uuid',
    'fs.binfmt_misc.status',
    'net.linked.tcp_rmem',
    'net.ipv4.ip_forward',
    'net.ipv4.conf',
    'net/ipv4/tcp_rmem',
  ]
  const problems: CollectionProblem[] = []
  const named = readLiveSysctl(target, problems, false, asked)
  assert.deepEqual(
    named,
    new Map([
      ['kernel.ostype', 'Linux'],
      ['net.ipv4.tcp_rmem', '4096 131072 6291456'],
      ['net.ipv4.conf.eth0/100.rp_filter', '1'],
    ]),
  )
  for (const [key, value] of named) assert.equal(everything.get(key), value)
  assert.deepEqual(problems, [])
})

test('entries that cannot be read are counted in one problem, not one each', (t) => {
  const root = tempDir(t)
  mkdirSync(join(root, 'proc/sys/dev'), { recursive: true })
  writeFileSync(join(root, 'proc/sys/dev/ok'), '1\n')
  // Larger than any sysctl value: refused like an unreadable entry.
  for (const name of ['a', 'b', 'c', 'd']) {
    writeFileSync(join(root, 'proc/sys/dev', name), Buffer.alloc(2 * 1024 * 1024, 0x31))
  }
  const target = new DirectoryTarget(root, { live: false, description: 'fixture' })
  const problems: CollectionProblem[] = []
  assert.deepEqual(readLiveSysctl(target, problems, false), new Map([['dev.ok', '1']]))
  assert.equal(problems.length, 1)
  assert.equal(problems[0]?.path, '/proc/sys')
  assert.match(problems[0]?.detail ?? '', /error: 4\b/)
})
