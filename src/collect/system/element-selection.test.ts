import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ElementSelection } from './element-selection.js'

test('a selection wants the keys it names and every key a glob of it could match', () => {
  const selection = new ElementSelection(
    ['sysctl:net.ipv4.ip_forward', 'group:sudo'],
    ['user:*', 'package:libstdc++6:*', 'port:tcp/*'],
  )
  assert.equal(selection.wants('sysctl:net.ipv4.ip_forward'), true)
  assert.equal(selection.wants('sysctl:kernel.ostype'), false)
  assert.equal(selection.wants('user:alice'), true)
  assert.equal(selection.wants('group:sudo'), true)
  assert.equal(selection.wants('group:adm'), false)
  // More rather than less: everything from the glob's first special character on.
  assert.equal(selection.wants('package:libstdc++6:amd64'), true)
  assert.equal(selection.wants('package:libstdc-dev'), true)
  assert.equal(selection.wants('package:bash'), false)
  assert.equal(selection.wants('port:tcp/22'), true)
  assert.equal(selection.wants('port:udp/53'), false)
})

test('sysctls named one by one can be read one by one; under a glob they cannot', () => {
  const named = new ElementSelection(['sysctl:net.ipv4.ip_forward', 'sysctl:kernel.ostype'])
  assert.deepEqual(named.keysUnder('sysctl:'), ['kernel.ostype', 'net.ipv4.ip_forward'])
  assert.equal(named.wantsAny('sysctl:'), true)
  assert.equal(named.wantsAny('mount:'), false)
  assert.deepEqual(named.keysUnder('mount:'), [])
  const globbed = new ElementSelection(['sysctl:net.ipv4.ip_forward'], ['sysctl:net.*'])
  assert.equal(globbed.keysUnder('sysctl:'), undefined)
  // A glob over every kind of key wants every kind.
  const everything = new ElementSelection([], ['*'])
  assert.equal(everything.wantsAny('mount:'), true)
  assert.equal(everything.keysUnder('sysctl:'), undefined)
})
