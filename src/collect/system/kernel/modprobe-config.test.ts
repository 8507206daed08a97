import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import {
  applyModprobeFile,
  applyModulesLoadFile,
  emptyModuleConfiguration,
  loadedModules,
} from './modprobe-config.js'

const PATH = '/etc/modprobe.d/cis.conf'

function modprobe(text: string, problems: CollectionProblem[] = []) {
  const configuration = emptyModuleConfiguration()
  applyModprobeFile(configLines(text, PATH, problems), PATH, configuration, problems)
  return configuration
}

test('blacklist and install lines disable modules; - and _ in names are the same module', () => {
  const configuration = modprobe(
    [
      '# CIS 1.1.1',
      'install cramfs /bin/false',
      'blacklist cramfs',
      'install usb-storage   /bin/true  # keep USB sticks out',
      'options bonding max_bonds=0',
      'alias net-pf-31 off',
    ].join('\n'),
  )
  assert.deepEqual(configuration.blacklisted, new Set(['cramfs']))
  assert.deepEqual(
    configuration.install,
    new Map([
      ['cramfs', '/bin/false'],
      ['usb_storage', '/bin/true  # keep USB sticks out'],
    ]),
  )
})

test('the first install line of a module is the one kmod runs', () => {
  const configuration = modprobe(
    'install dccp /bin/true\ninstall dccp /sbin/modprobe --ignore-install dccp\n',
  )
  assert.equal(configuration.install.get('dccp'), '/bin/true')
})

test('a line ending in a backslash continues on the next', () => {
  const configuration = modprobe('install sctp \\\n  /bin/true\nblacklist \\\nrds\n')
  assert.equal(configuration.install.get('sctp'), '/bin/true')
  assert.deepEqual(configuration.blacklisted, new Set(['rds']))
})

test('unknown commands and missing names are problems naming the line', () => {
  const problems: CollectionProblem[] = []
  const configuration = modprobe(
    'blacklist\ninstall tipc\ndisable tipc\nblacklist tipc\n',
    problems,
  )
  assert.deepEqual(configuration.blacklisted, new Set(['tipc']))
  assert.deepEqual(
    problems.map((problem) => problem.path),
    [`${PATH}:1`, `${PATH}:2`, `${PATH}:3`],
  )
})

test('modules to load at boot are read one per line, parameters after the name ignored', () => {
  const configuration = emptyModuleConfiguration()
  const problems: CollectionProblem[] = []
  const text = '# /etc/modules\nbr-netfilter\n; comment\nloop max_loop=64\n\n!!\n'
  applyModulesLoadFile(
    configLines(text, '/etc/modules', problems),
    '/etc/modules',
    configuration,
    problems,
  )
  assert.deepEqual(configuration.loadAtBoot, new Set(['br_netfilter', 'loop']))
  assert.deepEqual(
    problems.map((problem) => problem.path),
    ['/etc/modules:6'],
  )
})

test('loaded modules are read from /proc/modules', () => {
  const problems: CollectionProblem[] = []
  const text = 'nf_tables 372736 0 - Live 0x0000000000000000\next4 1118208 1 - Live 0x0\nbroken\n'
  const lines = configLines(text, '/proc/modules', problems)
  assert.deepEqual(loadedModules(lines, '/proc/modules', problems), new Set(['nf_tables', 'ext4']))
  assert.deepEqual(
    problems.map((problem) => problem.path),
    ['/proc/modules:3'],
  )
})
