// Applies an SQLite write-ahead log to a copy of its database, in memory. rpm keeps its sqlite
// database in WAL mode: transactions since the last checkpoint live only in rpmdb.sqlite-wal, so
// reading the main file alone could miss the packages installed last. Format: sqlite.org,
// "Database File Format", section 4 (The Write-Ahead Log).

const WAL_MAGIC_LITTLE_ENDIAN = 0x377f0682
const WAL_MAGIC_BIG_ENDIAN = 0x377f0683
const WAL_HEADER_BYTES = 32
const FRAME_HEADER_BYTES = 24

/**
 * The database as a reader would see it: the committed frames of the log applied over the main
 * file. Frames after the last commit, frames of an older log generation (other salts) and frames
 * whose checksum fails are ignored, as SQLite ignores them. A log that is not valid is ignored.
 *
 * @example applyWriteAheadLog(readFileSync('rpmdb.sqlite'), readFileSync('rpmdb.sqlite-wal'))
 */
export function applyWriteAheadLog(database: Buffer, wal: Buffer): Buffer {
  if (wal.length < WAL_HEADER_BYTES) return database
  const magic = wal.readUInt32BE(0)
  if (magic !== WAL_MAGIC_LITTLE_ENDIAN && magic !== WAL_MAGIC_BIG_ENDIAN) return database
  const bigEndian = magic === WAL_MAGIC_BIG_ENDIAN
  const pageSize = wal.readUInt32BE(8)
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return database
  let sum = checksum(wal.subarray(0, 24), bigEndian, [0, 0])
  if (sum[0] !== wal.readUInt32BE(24) || sum[1] !== wal.readUInt32BE(28)) return database
  const salt = wal.subarray(16, 24)

  const committed = new Map<number, Buffer>()
  const pending = new Map<number, Buffer>()
  let committedPages: number | undefined
  const frameBytes = FRAME_HEADER_BYTES + pageSize
  for (let at = WAL_HEADER_BYTES; at + frameBytes <= wal.length; at += frameBytes) {
    const pageNumber = wal.readUInt32BE(at)
    if (pageNumber === 0 || !wal.subarray(at + 8, at + 16).equals(salt)) break
    const page = wal.subarray(at + FRAME_HEADER_BYTES, at + frameBytes)
    sum = checksum(page, bigEndian, checksum(wal.subarray(at, at + 8), bigEndian, sum))
    if (sum[0] !== wal.readUInt32BE(at + 16) || sum[1] !== wal.readUInt32BE(at + 20)) break
    pending.set(pageNumber, page)
    const pagesAfterCommit = wal.readUInt32BE(at + 4)
    if (pagesAfterCommit !== 0) {
      for (const [number, content] of pending) committed.set(number, content)
      pending.clear()
      committedPages = pagesAfterCommit
    }
  }
  if (committedPages === undefined) return database
  const image = Buffer.alloc(committedPages * pageSize)
  database.copy(image, 0, 0, Math.min(database.length, image.length))
  for (const [number, content] of committed) {
    if (number <= committedPages) content.copy(image, (number - 1) * pageSize)
  }
  return image
}

/** SQLite's WAL checksum: two running 32-bit sums over pairs of 32-bit words. */
function checksum(
  bytes: Buffer,
  bigEndian: boolean,
  [first, second]: readonly [number, number],
): [number, number] {
  let s0 = first
  let s1 = second
  for (let at = 0; at + 8 <= bytes.length; at += 8) {
    const x0 = bigEndian ? bytes.readUInt32BE(at) : bytes.readUInt32LE(at)
    const x1 = bigEndian ? bytes.readUInt32BE(at + 4) : bytes.readUInt32LE(at + 4)
    s0 = (s0 + x0 + s1) >>> 0
    s1 = (s1 + x1 + s0) >>> 0
  }
  return [s0, s1]
}
