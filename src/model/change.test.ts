import assert from 'node:assert/strict'
import { test } from 'node:test'
import { diffElement, markRenames, summarizeChanges } from './change.js'
import { BaselineComparator } from './baseline-comparator.js'
import { attributesDigest, serializeAttributes, serializeElement, type Element } from './element.js'

const file = (key: string, attributes: Element['attributes'], unverified?: string[]): Element => ({
  key,
  attributes,
  ...(unverified ? { unverified } : {}),
})

test('reports a chmod as a modified mode, not as content', () => {
  const change = diffElement(
    file('file:/bin/tool', { type: 'file', mode: '0755', sha256: 'aa' }),
    file('file:/bin/tool', { type: 'file', mode: '4755', sha256: 'aa' }),
  )
  assert.deepEqual(change, {
    key: 'file:/bin/tool',
    change: 'modified',
    fields: { mode: { before: '0755', after: '4755' } },
  })
})

test('a user name shows beside a changed uid but never counts as a change by itself', () => {
  const renamedAccount = diffElement(
    file('file:/a', { uid: 1000, user: 'alice' }),
    file('file:/a', { uid: 1000, user: 'alicia' }),
  )
  assert.equal(renamedAccount, undefined)
  const chown = diffElement(
    file('file:/a', { uid: 0, user: 'root' }),
    file('file:/a', { uid: 1000, user: 'alice' }),
  )
  assert.deepEqual(chown?.fields, {
    uid: { before: 0, after: 1000 },
    user: { before: 'root', after: 'alice' },
  })
})

test('an attribute that could not be read this time is not reported as changed', () => {
  const change = diffElement(
    file('file:/etc/shadow', { mode: '0640', sha256: 'aa' }),
    file('file:/etc/shadow', { mode: '0640' }, ['sha256']),
  )
  assert.equal(change, undefined)
})

test('added and removed elements list every attribute on their side', () => {
  assert.deepEqual(diffElement(undefined, file('file:/new', { type: 'file', size: 3 }))?.fields, {
    type: { before: null, after: 'file' },
    size: { before: null, after: 3 },
  })
  assert.equal(diffElement(file('file:/old', { type: 'file' }), undefined)?.change, 'removed')
})

test('a rename pairs the removed and added element with the same inode and content', () => {
  const changes = markRenames([
    diffElement(file('file:/a', { type: 'file', inode: 7, sha256: 'x' }), undefined)!,
    diffElement(undefined, file('file:/b', { type: 'file', inode: 7, sha256: 'x' }))!,
    diffElement(undefined, file('file:/c', { type: 'file', inode: 7, sha256: 'other' }))!,
  ])
  assert.equal(changes[0]?.renamedTo, 'file:/b')
  assert.equal(changes[1]?.renamedFrom, 'file:/a')
  assert.equal(changes[2]?.renamedFrom, undefined)
})

test('the comparator reports unseen baseline elements as removed, except where it could not look', () => {
  const stored = new Map([
    ['file:/a', serializeAttributes({ type: 'file', mode: '0644' })],
    ['file:/gone', serializeAttributes({ type: 'file' })],
    ['file:/locked/x', serializeAttributes({ type: 'file' })],
  ])
  const digests = new Map(
    [...stored].map(([key, attributes]) => [key, attributesDigest(attributes)]),
  )
  const comparator = new BaselineComparator(digests, (key) => stored.get(key))
  assert.equal(
    comparator.observe(serializeElement(file('file:/a', { mode: '0644', type: 'file' }))),
    undefined,
    'key order does not matter',
  )
  comparator.observe(serializeElement(file('file:/new', { type: 'file' })))
  const changes = comparator.finish((key) => key.startsWith('file:/locked/'))
  assert.deepEqual(
    changes.map((change) => [change.key, change.change]),
    [
      ['file:/gone', 'removed'],
      ['file:/new', 'added'],
    ],
  )
  assert.deepEqual(summarizeChanges(changes), {
    added: 1,
    removed: 1,
    modified: 0,
    byAttribute: {},
  })
})

test('a baseline element whose stored attributes do not match its digest is refused', () => {
  const comparator = new BaselineComparator(
    new Map([['file:/etc/motd', attributesDigest('{"type":"file","mode":"0644"}')]]),
    () => '{"type":"file","mode":"0600"}',
  )
  assert.throws(
    () =>
      comparator.observe(serializeElement(file('file:/etc/motd', { type: 'file', mode: '0600' }))),
    /stored attributes of file:\/etc\/motd do not match the signed baseline/,
  )
})
