import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import Database from 'better-sqlite3'
import { RPM_TAG, RpmHeader, RpmHeaderError } from './rpm-header.js'
import { rpmFileDigests, rpmPackage } from './rpm-package.js'

/** The header blobs of the fixture database (see fixtures/make-rpmdb.sh). */
function fixtureBlobs(): Buffer[] {
  const bytes = readFileSync(new URL('./fixtures/rpmdb.sqlite', import.meta.url))
  bytes[18] = 1 // open the WAL-mode file as a plain in-memory database
  bytes[19] = 1
  const database = new Database(bytes)
  try {
    return database.prepare('SELECT blob FROM Packages ORDER BY hnum').pluck().all() as Buffer[]
  } finally {
    database.close()
  }
}

type EntryValue =
  { string: string } | { strings: string[] } | { int32: number[] } | { int16: number[] }

/** Writes a header the way rpm lays one out: preamble, index, data store. */
function buildHeader(entries: ReadonlyArray<[number, EntryValue]>): Buffer {
  const index: Buffer[] = []
  let data = Buffer.alloc(0)
  for (const [tag, value] of entries) {
    let type: number
    let count: number
    let bytes: Buffer
    if ('string' in value) [type, count, bytes] = [6, 1, Buffer.from(`${value.string}\0`)]
    else if ('strings' in value) {
      ;[type, count, bytes] = [
        8,
        value.strings.length,
        Buffer.from(value.strings.map((s) => `${s}\0`).join('')),
      ]
    } else if ('int32' in value) {
      bytes = Buffer.alloc(value.int32.length * 4)
      value.int32.forEach((n, i) => bytes.writeUInt32BE(n, i * 4))
      ;[type, count] = [4, value.int32.length]
      data = Buffer.concat([data, Buffer.alloc((4 - (data.length % 4)) % 4)])
    } else {
      bytes = Buffer.alloc(value.int16.length * 2)
      value.int16.forEach((n, i) => bytes.writeUInt16BE(n, i * 2))
      ;[type, count] = [3, value.int16.length]
      data = Buffer.concat([data, Buffer.alloc(data.length % 2)])
    }
    const entry = Buffer.alloc(16)
    entry.writeUInt32BE(tag, 0)
    entry.writeUInt32BE(type, 4)
    entry.writeUInt32BE(data.length, 8)
    entry.writeUInt32BE(count, 12)
    index.push(entry)
    data = Buffer.concat([data, bytes])
  }
  const preamble = Buffer.alloc(8)
  preamble.writeUInt32BE(entries.length, 0)
  preamble.writeUInt32BE(data.length, 4)
  return Buffer.concat([preamble, ...index, data])
}

test('reads name, [epoch:]version-release, architecture and source from a header rpm wrote', () => {
  const [hello, empty] = fixtureBlobs().map((blob) => rpmPackage(RpmHeader.parse(blob)))
  assert.deepEqual(hello, {
    name: 'dw-hello',
    version: '2:1.2-3',
    architecture: 'noarch',
    source: 'dw-hello-1.2-3.src.rpm',
  })
  assert.deepEqual(empty, {
    name: 'dw-empty',
    version: '0.1-1',
    architecture: 'noarch',
    source: 'dw-empty-0.1-1.src.rpm',
  })
})

test("reads each file's recorded digest and the algorithm, as rpm -q --qf shows them", () => {
  const [hello, empty] = fixtureBlobs().map((blob) => rpmFileDigests(RpmHeader.parse(blob)))
  assert.equal(hello?.algorithm, 'sha256')
  assert.deepEqual(
    [...(hello?.digests ?? [])],
    [
      // sha256 of "greeting = hello\n" and "hello\n", the files the spec installs
      ['/etc/dw-hello.conf', '6783839fe54f0040d9ee89d265c686aa7386261605d89dfbb4be261d5a956f38'],
      [
        '/usr/share/dw-hello/hello.txt',
        '5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03',
      ],
    ],
  )
  assert.equal(empty?.digests.size, 0)
})

test('a header from a package file (with its magic) reads the same; gpg-pubkey has no architecture', () => {
  const header = buildHeader([
    [RPM_TAG.NAME, { string: 'gpg-pubkey' }],
    [RPM_TAG.VERSION, { string: 'fd431d51' }],
    [RPM_TAG.RELEASE, { string: '4ae0493b' }],
  ])
  const withMagic = Buffer.concat([Buffer.from([0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0]), header])
  assert.deepEqual(rpmPackage(RpmHeader.parse(withMagic)), {
    name: 'gpg-pubkey',
    version: 'fd431d51-4ae0493b',
    architecture: undefined,
    source: undefined,
  })
})

test('file paths that are not UTF-8 are shown as file keys show them', () => {
  const header = RpmHeader.parse(
    buildHeader([
      [RPM_TAG.NAME, { string: 'odd' }],
      [RPM_TAG.VERSION, { string: '1' }],
      [RPM_TAG.DIRNAMES, { strings: ['/srv/'] }],
      [RPM_TAG.BASENAMES, { strings: ['caf\u00e9', 'plain'] }],
      [RPM_TAG.DIRINDEXES, { int32: [0, 0] }],
      [RPM_TAG.FILEDIGESTS, { strings: ['AB', ''] }],
      [RPM_TAG.FILEDIGESTALGO, { int32: [8] }],
    ]),
  )
  const { digests } = rpmFileDigests(header)
  assert.deepEqual([...digests], [['/srv/café', 'ab']], 'entries without a digest are left out')
  const latin1 = Buffer.from(buildHeader([[RPM_TAG.BASENAMES, { strings: ['caf\u00e9'] }]]))
  // Replace the two UTF-8 bytes of é by one Latin-1 byte (and keep the length with a NUL).
  const at = latin1.indexOf(Buffer.from([0xc3, 0xa9]))
  latin1[at] = 0xe9
  latin1[at + 1] = 0
  assert.deepEqual(RpmHeader.parse(latin1).byteStrings(RPM_TAG.BASENAMES), [
    Buffer.from([0x63, 0x61, 0x66, 0xe9]),
  ])
})

test('damaged headers are rejected with RpmHeaderError, never read out of bounds', () => {
  const bad: Array<[string, Buffer]> = [
    ['empty', Buffer.alloc(0)],
    ['no entries', Buffer.from([0, 0, 0, 0, 0, 0, 0, 0])],
    ['index past the end', Buffer.from([0, 0, 0, 9, 0, 0, 0, 0])],
    ['huge data length', Buffer.from([0, 0, 0, 1, 0x7f, 0xff, 0xff, 0xff])],
  ]
  for (const [what, blob] of bad) {
    assert.throws(() => RpmHeader.parse(blob), RpmHeaderError, what)
  }
  const unterminated = buildHeader([[RPM_TAG.NAME, { string: 'x' }]])
  unterminated[unterminated.length - 1] = 0x41
  assert.throws(() => RpmHeader.parse(unterminated).string(RPM_TAG.NAME), RpmHeaderError)
  const tooMany = buildHeader([[RPM_TAG.DIRINDEXES, { int32: [0] }]])
  tooMany.writeUInt32BE(1000, 8 + 12)
  assert.throws(() => RpmHeader.parse(tooMany).numbers(RPM_TAG.DIRINDEXES), RpmHeaderError)
  const wrongType = RpmHeader.parse(buildHeader([[RPM_TAG.NAME, { int16: [1] }]]))
  assert.throws(() => rpmPackage(wrongType), RpmHeaderError)
  const strayIndex = RpmHeader.parse(
    buildHeader([
      [RPM_TAG.DIRNAMES, { strings: ['/a/'] }],
      [RPM_TAG.BASENAMES, { strings: ['b'] }],
      [RPM_TAG.DIRINDEXES, { int32: [7] }],
    ]),
  )
  assert.throws(() => rpmFileDigests(strayIndex), RpmHeaderError)
})

test('randomly corrupted headers give a result or an RpmHeaderError, nothing else', () => {
  const [blob] = fixtureBlobs() as [Buffer]
  let seed = 20240102
  const random = (limit: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return seed % limit
  }
  for (let round = 0; round < 3000; round++) {
    const damaged = Buffer.from(blob)
    for (let flips = 1 + random(4); flips > 0; flips--) {
      // Most damage aims at the preamble and index, where offsets and counts live.
      const at =
        random(4) === 0 ? random(damaged.length) : random(Math.min(damaged.length, 8 + 61 * 16))
      damaged[at] = random(256)
    }
    try {
      const header = RpmHeader.parse(damaged.subarray(0, damaged.length - random(3)))
      rpmPackage(header)
      rpmFileDigests(header)
    } catch (error) {
      assert.ok(error instanceof RpmHeaderError, `round ${round}: ${String(error)}`)
    }
  }
})
