import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { parseSocketTable } from './proc-net-sockets.js'

const TCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 639 1 000000007b038f57 100 0 0 10 0
   1: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   101        0 4943 1 0000000023570ce3 100 0 0 10 0
   2: 0100007F:C0F4 0100007F:1111 01 00000000:00000000 00:00000000 00000000   106        0 7133 1 00000000ce07e602 20 4 30 11 -1
   3: 020200C0:9118 507100CB:0050 06 00000000:00000000 03:0000147B 00000000     0        0 0 3 00000000c92f468a
`
const TCP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 640 1 0000000000000000 100 0 0 10 0
`
const UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  120: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 9001 2 0000000000000000 0
  121: 0100007F:A1B2 0A00020F:0035 01 00000000:00000000 00:00000000 00000000  1000        0 9002 2 0000000000000000 0
`

function parse(text: string, protocol: 'tcp' | 'udp', problems: CollectionProblem[] = []) {
  const lines = configLines(text, '/proc/net/x', problems)
  return parseSocketTable(lines, '/proc/net/x', protocol, 'LE', problems)
}

test('listening TCP sockets are found, connections are not', () => {
  assert.deepEqual(parse(TCP, 'tcp'), [
    { protocol: 'tcp', address: '0.0.0.0', port: 22, uid: 0, inode: 639 },
    { protocol: 'tcp', address: '127.0.0.1', port: 5432, uid: 101, inode: 4943 },
  ])
  assert.deepEqual(parse(TCP6, 'tcp'), [
    { protocol: 'tcp', address: '::', port: 22, uid: 0, inode: 640 },
  ])
})

test('UDP sockets without a peer are served ports; connected ones are clients', () => {
  assert.deepEqual(parse(UDP, 'udp'), [
    { protocol: 'udp', address: '0.0.0.0', port: 68, uid: 0, inode: 9001 },
  ])
})

test('a malformed line is a problem naming the line, and the other lines still count', () => {
  const problems: CollectionProblem[] = []
  const text = `${TCP}garbage\n   9: ZZ:0016 00000000:0000 0A 0 0 0 0 0 0\n  10: 00000000:0017 00000000:0000 0A 00000000:00000000 00:00000000 00000000  root 0 1 1\n`
  const sockets = parse(text, 'tcp', problems)
  assert.equal(sockets.length, 2)
  assert.deepEqual(
    problems.map((problem) => [problem.path, problem.reason]),
    [
      ['/proc/net/x:6', 'malformed'],
      ['/proc/net/x:7', 'malformed'],
      ['/proc/net/x:8', 'malformed'],
    ],
  )
})
