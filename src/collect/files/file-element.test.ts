import assert from 'node:assert/strict'
import { test } from 'node:test'
import { serializeAttributes } from '../../model/index.js'
import { buildFileElement, formatDeviceNumber } from './file-element.js'
import { FILE_ATTRIBUTES } from './file-rules.js'

test('file elements are built in canonical attribute order, so JSON.stringify is their serialization', () => {
  const element = buildFileElement(
    '/usr/bin/passwd',
    {
      stat: [0o104755, 0, 0, 59976, 1_700_000_000_000, 1_700_000_000_500, 1234, 1, 0],
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

test('device nodes record their device number as major:minor', () => {
  const element = buildFileElement(
    '/dev/loop7',
    { stat: [0o060660, 0, 6, 0, 0, 0, 99, 1, 0x0707] },
    new Set(FILE_ATTRIBUTES),
    { users: new Map(), groups: new Map() },
  )
  assert.equal(element.attributes['type'], 'block-device')
  assert.equal(element.attributes['rdev'], '7:7')
  assert.equal(formatDeviceNumber(259 * 256 + 1), '259:1')
  assert.equal(formatDeviceNumber(1050668), '8:300', 'minor numbers above 255 use the high bits')
})
