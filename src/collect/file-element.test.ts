import assert from 'node:assert/strict'
import { test } from 'node:test'
import { serializeAttributes } from '../model/index.js'
import { buildFileElement } from './file-element.js'
import { FILE_ATTRIBUTES } from './file-rules.js'

test('file elements are built in canonical attribute order, so JSON.stringify is their serialization', () => {
  const element = buildFileElement(
    '/usr/bin/passwd',
    {
      stat: [0o104755, 0, 0, 59976, 1_700_000_000_000, 1_700_000_000_500, 1234, 1],
      sha256: 'ab'.repeat(32),
    },
    new Set(FILE_ATTRIBUTES),
    { users: new Map([[0, 'root']]), groups: new Map([[0, 'root']]) },
  )
  assert.equal(JSON.stringify(element.attributes), serializeAttributes(element.attributes))
  assert.deepEqual(element.attributes, {
    type: 'file',
    mode: '4755',
    uid: 0,
    user: 'root',
    gid: 0,
    group: 'root',
    size: 59976,
    mtime: '2023-11-14T22:13:20.000Z',
    ctime: '2023-11-14T22:13:20.500Z',
    inode: 1234,
    nlink: 1,
    sha256: 'ab'.repeat(32),
  })
})
