import assert from 'node:assert/strict'
import { test } from 'node:test'
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { resolverElement } from './resolv-conf.js'

function resolver(text: string, problems: CollectionProblem[] = []) {
  return resolverElement(
    configLines(text, '/etc/resolv.conf', problems),
    '/etc/resolv.conf',
    problems,
  )
}

test('name servers, search domains and options are kept in file order', () => {
  const text = [
    '# generated',
    'nameserver 192.0.2.53',
    '; backup',
    'nameserver 2001:DB8:0:0::53',
    'nameserver 10.0.0.1   # comment after the address',
    'search corp.example example.org',
    'options ndots:2 timeout:1',
    'options rotate',
    'sortlist 130.155.160.0/255.255.240.0',
  ].join('\n')
  assert.deepEqual(resolver(text), {
    key: 'dns:resolver',
    attributes: {
      nameservers: '192.0.2.53,2001:db8::53,10.0.0.1',
      search: 'corp.example,example.org',
      options: 'ndots:2,timeout:1,rotate',
    },
  })
})

test('the last search or domain line wins, as in glibc', () => {
  const text = 'search a.example b.example\ndomain c.example\n'
  assert.equal(resolver(text).attributes['search'], 'c.example')
  assert.equal(resolver(`${text}search d.example\n`).attributes['search'], 'd.example')
})

test('an empty resolv.conf gives empty lists, so adding the first server is a change', () => {
  assert.deepEqual(resolver('').attributes, { nameservers: '', search: '', options: '' })
})

test('a nameserver line without an address is a problem, not a crash', () => {
  const problems: CollectionProblem[] = []
  const element = resolver('nameserver\nnameserver dns.example\nnameserver 192.0.2.1\n', problems)
  assert.equal(element.attributes['nameservers'], '192.0.2.1')
  assert.deepEqual(
    problems.map((problem) => problem.path),
    ['/etc/resolv.conf:1', '/etc/resolv.conf:2'],
  )
})
