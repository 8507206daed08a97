import assert from 'node:assert/strict'
import { test } from 'node:test'
import { listeningPortElements } from './listening-ports.js'
import type { ServingSocket } from './proc-net-sockets.js'

const sshd4: ServingSocket = { protocol: 'tcp', address: '0.0.0.0', port: 22, uid: 0, inode: 1 }
const sshd6: ServingSocket = { protocol: 'tcp', address: '::', port: 22, uid: 0, inode: 2 }
const dhcp: ServingSocket = { protocol: 'udp', address: '0.0.0.0', port: 68, uid: 998, inode: 3 }
const users = new Map([[0, 'root']])

test('IPv4 and IPv6 sockets of one port are one element with both addresses', () => {
  const owners = {
    commands: new Map([
      [1, new Set(['sshd'])],
      [2, new Set(['sshd'])],
    ]),
    unreadableProcesses: 0,
  }
  assert.deepEqual(listeningPortElements([sshd6, sshd4], owners, users), [
    {
      key: 'port:tcp/22',
      attributes: { uid: '0', user: 'root', addresses: '0.0.0.0,::', process: 'sshd' },
    },
  ])
})

test('an owner /etc/passwd does not know is shown by uid; a kernel socket has no process', () => {
  const owners = { commands: new Map<number, Set<string>>(), unreadableProcesses: 0 }
  assert.deepEqual(listeningPortElements([dhcp], owners, users), [
    { key: 'port:udp/68', attributes: { uid: '998', user: '998', addresses: '0.0.0.0' } },
  ])
})

test('when some processes could not be looked at, an unknown owner is unverified, not absent', () => {
  const owners = { commands: new Map([[1, new Set(['sshd'])]]), unreadableProcesses: 3 }
  const [element] = listeningPortElements([sshd4, sshd6], owners, users)
  assert.equal(element?.attributes['process'], 'sshd')
  assert.deepEqual(element?.unverified, ['process'])
})

test('sockets of several owners list every uid and every process, sorted', () => {
  const other: ServingSocket = { ...sshd6, uid: 33, inode: 4 }
  const owners = {
    commands: new Map([
      [1, new Set(['sshd'])],
      [4, new Set(['apache2', 'sshd'])],
    ]),
    unreadableProcesses: 0,
  }
  const [element] = listeningPortElements(
    [other, sshd4],
    owners,
    new Map([
      [0, 'root'],
      [33, 'www-data'],
    ]),
  )
  assert.deepEqual(element?.attributes, {
    uid: '0,33',
    user: 'root,www-data',
    addresses: '0.0.0.0,::',
    process: 'apache2,sshd',
  })
})
