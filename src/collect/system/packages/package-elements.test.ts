import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { CollectionProblem } from '../system-collector.js'
import { packageElements, type InstalledPackage } from './package-elements.js'

function dpkg(name: string, architecture: string, version = '1.0'): InstalledPackage {
  return {
    manager: 'dpkg',
    name,
    version,
    architecture,
    status: 'install ok installed',
    source: undefined,
  }
}
function rpm(name: string, architecture: string | undefined, version: string): InstalledPackage {
  return { manager: 'rpm', name, version, architecture, status: 'installed', source: undefined }
}

test('a package is keyed by name, and by architecture only when installed for several', () => {
  const elements = packageElements(
    [dpkg('bash', 'amd64'), dpkg('libc6', 'amd64', '2.36'), dpkg('libc6', 'i386', '2.36')],
    [],
  )
  assert.deepEqual(
    elements.map((e) => e.key),
    ['package:bash', 'package:libc6:amd64', 'package:libc6:i386'],
  )
  assert.deepEqual(elements[0]?.attributes, {
    manager: 'dpkg',
    version: '1.0',
    architecture: 'amd64',
    status: 'install ok installed',
  })
})

test('several kernels or signing keys of one name are keyed by version too', () => {
  const elements = packageElements(
    [
      rpm('kernel-core', 'x86_64', '5.14.0-362.el9'),
      rpm('kernel-core', 'x86_64', '5.14.0-427.el9'),
      rpm('gpg-pubkey', undefined, 'fd431d51-4ae0493b'),
      rpm('gpg-pubkey', undefined, '5a6340b3-6229229e'),
    ],
    [],
  )
  assert.deepEqual(
    elements.map((e) => e.key),
    [
      'package:gpg-pubkey:(none):5a6340b3-6229229e',
      'package:gpg-pubkey:(none):fd431d51-4ae0493b',
      'package:kernel-core:x86_64:5.14.0-362.el9',
      'package:kernel-core:x86_64:5.14.0-427.el9',
    ],
  )
  assert.equal(elements[0]?.attributes['architecture'], null)
})

test('a package listed twice is one element and a problem, never a crash', () => {
  const problems: CollectionProblem[] = []
  const elements = packageElements(
    [dpkg('bash', 'amd64', '5.2'), dpkg('bash', 'amd64', '5.2')],
    problems,
  )
  assert.deepEqual(
    elements.map((e) => e.key),
    ['package:bash:amd64:5.2'],
  )
  assert.deepEqual(
    problems.map((p) => [p.path, p.reason]),
    [['package:bash:amd64:5.2', 'malformed']],
  )
})
