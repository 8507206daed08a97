import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem, CommandResult, CommandRunner } from '../system-collector.js'
import { parseIfInet6, parseIpAddressJson, readIpv4Addresses } from './interface-addresses.js'

const IF_INET6 = `fe8000000000000000fc00fffe000001 04 40 20 80     eth0
fd000000000000000000000000000002 04 40 00 82     eth0
20010db8000000001111222233334444 04 40 00 01     eth0
00000000000000000000000000000001 01 80 10 80       lo
`

const IP_JSON = JSON.stringify([
  { ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8 }] },
  {
    ifname: 'eth0',
    addr_info: [
      { family: 'inet', local: '192.0.2.2', prefixlen: 24 },
      { family: 'inet', local: '198.51.100.7', prefixlen: 32 },
    ],
  },
  { ifname: 'ifb0', addr_info: [] },
])

/** Plays back one recorded result for any command. */
function recorded(result: CommandResult | undefined): CommandRunner {
  return { run: () => result }
}

test('IPv6 addresses are listed per interface with their prefix, privacy addresses left out', () => {
  const problems: CollectionProblem[] = []
  const lines = configLines(IF_INET6, '/proc/net/if_inet6', problems)
  assert.deepEqual(
    parseIfInet6(lines, '/proc/net/if_inet6', problems),
    new Map([
      ['eth0', ['fe80::fc:ff:fe00:1/64', 'fd00::2/64']],
      ['lo', ['::1/128']],
    ]),
  )
  assert.deepEqual(problems, [])
})

test('a malformed if_inet6 line is a problem, the others still count', () => {
  const problems: CollectionProblem[] = []
  const lines = configLines(`nonsense\n${IF_INET6}`, '/proc/net/if_inet6', problems)
  assert.equal(parseIfInet6(lines, '/proc/net/if_inet6', problems).size, 2)
  assert.deepEqual(
    problems.map((problem) => problem.path),
    ['/proc/net/if_inet6:1'],
  )
})

test('IPv4 addresses come from ip in CIDR notation, interfaces without one included', () => {
  const problems: CollectionProblem[] = []
  const result = { status: 0, stdout: IP_JSON, stderr: '' }
  assert.deepEqual(
    readIpv4Addresses(recorded(result), problems),
    new Map([
      ['lo', ['127.0.0.1/8']],
      ['eth0', ['192.0.2.2/24', '198.51.100.7/32']],
      ['ifb0', []],
    ]),
  )
  assert.deepEqual(problems, [])
})

test('without ip, or with output that is not its JSON, IPv4 is unknown and says so', () => {
  for (const result of [
    undefined,
    { status: 1, stdout: '', stderr: 'Option "-j" is unknown' },
    { status: 0, stdout: '1: lo: <LOOPBACK,UP> mtu 65536', stderr: '' },
  ]) {
    const problems: CollectionProblem[] = []
    assert.equal(readIpv4Addresses(recorded(result), problems), undefined)
    assert.equal(problems.length, 1)
    assert.equal(problems[0]?.reason, 'unavailable')
  }
  assert.equal(parseIpAddressJson('[{"ifname":"lo","addr_info":[{"family":"inet"}]}]'), undefined)
})
