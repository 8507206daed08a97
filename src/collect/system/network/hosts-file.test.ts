import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { hostsEntryElements } from './hosts-file.js'

function hosts(text: string, problems: CollectionProblem[] = []) {
  return hostsEntryElements(configLines(text, '/etc/hosts', problems), '/etc/hosts', problems)
}

test('each name and alias gets its addresses, sorted, whichever line they came from', () => {
  const text = [
    '127.0.0.1\tlocalhost',
    '127.0.1.1 web01.corp.example web01 # this host',
    '::1 localhost ip6-localhost',
    '0:0:0:0:0:0:0:1 Web01',
  ].join('\n')
  assert.deepEqual(hosts(text), [
    { key: 'hosts-entry:ip6-localhost', attributes: { addresses: '::1' } },
    { key: 'hosts-entry:localhost', attributes: { addresses: '127.0.0.1,::1' } },
    { key: 'hosts-entry:web01', attributes: { addresses: '127.0.1.1,::1' } },
    { key: 'hosts-entry:web01.corp.example', attributes: { addresses: '127.0.1.1' } },
  ])
})

test('lines that are not address and names are problems; the rest is read', () => {
  const problems: CollectionProblem[] = []
  const text = 'localhost 127.0.0.1\n192.0.2.1\n192.0.2.2 ok bad\u001bname\n# only a comment\n'
  assert.deepEqual(hosts(text, problems), [
    { key: 'hosts-entry:ok', attributes: { addresses: '192.0.2.2' } },
  ])
  assert.deepEqual(
    problems.map((problem) => problem.path),
    ['/etc/hosts:1', '/etc/hosts:2', '/etc/hosts:3'],
  )
})
