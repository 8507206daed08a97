import assert from 'node:assert/strict'
import { copyFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import Database from 'better-sqlite3'
import { tempDir } from '../../../../test/support/temp-tree.js'
import { applyWriteAheadLog } from './sqlite-wal.js'

/**
 * A database in WAL mode with `committed` rows checkpointed into the main file and `logged`
 * rows only in the log: the files copied while the connection is open, as a scan finds them.
 */
function walDatabase(
  t: TestContext,
  committed: number,
  logged: number,
): { main: Buffer; wal: Buffer } {
  const dir = tempDir(t, 'dw-wal-')
  const database = new Database(join(dir, 'live.sqlite'))
  database.pragma('journal_mode = WAL')
  database.pragma('wal_autocheckpoint = 0')
  database.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB NOT NULL)')
  const insert = database.prepare('INSERT INTO Packages (blob) VALUES (?)')
  for (let i = 0; i < committed; i++) insert.run(Buffer.alloc(3000, i))
  database.pragma('wal_checkpoint(TRUNCATE)')
  for (let i = 0; i < logged; i++) insert.run(Buffer.alloc(3000, committed + i))
  copyFileSync(join(dir, 'live.sqlite'), join(dir, 'copy.sqlite'))
  copyFileSync(join(dir, 'live.sqlite-wal'), join(dir, 'copy.sqlite-wal'))
  database.close()
  return {
    main: readFileSync(join(dir, 'copy.sqlite')),
    wal: readFileSync(join(dir, 'copy.sqlite-wal')),
  }
}

function rowCount(image: Buffer): number {
  const copy = Buffer.from(image)
  copy[18] = 1
  copy[19] = 1
  const database = new Database(copy)
  try {
    return database.prepare('SELECT count(*) FROM Packages').pluck().get() as number
  } finally {
    database.close()
  }
}

test('rows committed only to the write-ahead log are seen', (t) => {
  const { main, wal } = walDatabase(t, 5, 7)
  assert.equal(rowCount(main), 5, 'the main file alone misses the last transactions')
  assert.equal(rowCount(applyWriteAheadLog(main, wal)), 12)
})

test('a torn last frame and a log of another generation are ignored, as SQLite ignores them', (t) => {
  const { main, wal } = walDatabase(t, 2, 3)
  const pageSize = wal.readUInt32BE(8)
  // Damage the last frame: the transaction it ends is not committed.
  const torn = Buffer.from(wal)
  torn[torn.length - 10] = (torn[torn.length - 10] as number) ^ 0xff
  assert.equal(rowCount(applyWriteAheadLog(main, torn)), 4)
  // A log whose frames carry other salts belongs to an earlier generation: nothing applies.
  const stale = Buffer.from(wal)
  stale[16] = (stale[16] as number) ^ 0xff
  assert.equal(rowCount(applyWriteAheadLog(main, stale)), 2)
  assert.equal(applyWriteAheadLog(main, Buffer.alloc(0)), main)
  assert.equal(applyWriteAheadLog(main, Buffer.from('not a write-ahead log at all, no')), main)
  assert.ok(pageSize >= 512)
})

test('random damage to the log never throws', (t) => {
  const { main, wal } = walDatabase(t, 1, 2)
  let seed = 7
  const random = (limit: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return seed % limit
  }
  for (let round = 0; round < 300; round++) {
    const damaged = Buffer.from(wal)
    damaged[random(64)] = random(256)
    damaged[random(damaged.length)] = random(256)
    const image = applyWriteAheadLog(main, damaged.subarray(0, damaged.length - random(100)))
    assert.ok(Buffer.isBuffer(image))
  }
})
