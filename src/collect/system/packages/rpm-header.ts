// Reads an RPM header (the rpm file format's header structure, as rpm's database stores one per
// package): an index of tagged entries over a data store. Only what driftwatch needs is decoded.
// Bounds are checked everywhere: a damaged or hostile header is an error, never a bad read.

/** Tags driftwatch reads (rpmtag.h). */
export const RPM_TAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  ARCH: 1022,
  SOURCERPM: 1044,
  FILEDIGESTS: 1035,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
  FILEDIGESTALGO: 5011,
} as const

/** Entry types (rpm's rpmTagType). */
const TYPE = {
  CHAR: 1,
  INT8: 2,
  INT16: 3,
  INT32: 4,
  INT64: 5,
  STRING: 6,
  BIN: 7,
  STRING_ARRAY: 8,
  I18NSTRING: 9,
} as const

/** The magic of a header as it appears in a package file; the database omits it. */
const HEADER_MAGIC = 0x8eade801
/** rpm's own limits (hdrchkTags, hdrchkData): nothing larger is a header rpm would write. */
const MAX_ENTRIES = 0xffff
const MAX_DATA_BYTES = 256 * 1024 * 1024

export class RpmHeaderError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RpmHeaderError'
  }
}

interface Entry {
  readonly type: number
  readonly offset: number
  readonly count: number
}

/** A decoded header: typed access to its entries by tag. */
export class RpmHeader {
  private constructor(
    private readonly entries: ReadonlyMap<number, Entry>,
    private readonly data: Buffer,
  ) {}

  /**
   * Parses a header blob: big-endian entry count and data length, 16-byte index entries
   * (tag, type, offset, count), then the data store.
   *
   * @example RpmHeader.parse(blob).string(RPM_TAG.NAME) // 'bash'
   */
  static parse(blob: Uint8Array): RpmHeader {
    let bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength)
    if (bytes.length >= 8 && bytes.readUInt32BE(0) === HEADER_MAGIC) bytes = bytes.subarray(8)
    if (bytes.length < 8) throw new RpmHeaderError('shorter than a header preamble')
    const entryCount = bytes.readUInt32BE(0)
    const dataLength = bytes.readUInt32BE(4)
    if (entryCount < 1 || entryCount > MAX_ENTRIES) {
      throw new RpmHeaderError(`${entryCount} index entries`)
    }
    if (dataLength > MAX_DATA_BYTES) throw new RpmHeaderError(`${dataLength} bytes of data`)
    const dataStart = 8 + entryCount * 16
    if (dataStart + dataLength > bytes.length) {
      throw new RpmHeaderError('index and data run past the end of the blob')
    }
    const data = bytes.subarray(dataStart, dataStart + dataLength)
    const entries = new Map<number, Entry>()
    for (let i = 0; i < entryCount; i++) {
      const at = 8 + i * 16
      const tag = bytes.readUInt32BE(at)
      const entry = {
        type: bytes.readUInt32BE(at + 4),
        offset: bytes.readUInt32BE(at + 8),
        count: bytes.readUInt32BE(at + 12),
      }
      if (entry.offset > dataLength) throw new RpmHeaderError(`tag ${tag} points past the data`)
      if (!entries.has(tag)) entries.set(tag, entry)
    }
    return new RpmHeader(entries, data)
  }

  has(tag: number): boolean {
    return this.entries.has(tag)
  }

  /** A STRING (or the first of a STRING_ARRAY / I18NSTRING) entry; undefined when absent. */
  string(tag: number): string | undefined {
    return this.strings(tag)?.[0]
  }

  /** A STRING_ARRAY (or STRING, I18NSTRING) entry, decoded as UTF-8; undefined when absent. */
  strings(tag: number): string[] | undefined {
    return this.byteStrings(tag)?.map((bytes) => bytes.toString('utf8'))
  }

  /** A string entry's strings as bytes (file names need not be UTF-8); undefined when absent. */
  byteStrings(tag: number): Buffer[] | undefined {
    const entry = this.entries.get(tag)
    if (entry === undefined) return undefined
    if (
      entry.type !== TYPE.STRING &&
      entry.type !== TYPE.STRING_ARRAY &&
      entry.type !== TYPE.I18NSTRING
    ) {
      throw new RpmHeaderError(`tag ${tag} is not a string`)
    }
    const count = entry.type === TYPE.STRING ? 1 : entry.count
    if (count > this.data.length) throw new RpmHeaderError(`tag ${tag} claims ${count} strings`)
    const strings: Buffer[] = []
    let at = entry.offset
    for (let i = 0; i < count; i++) {
      const end = this.data.indexOf(0, at)
      if (end === -1) throw new RpmHeaderError(`tag ${tag} has an unterminated string`)
      strings.push(this.data.subarray(at, end))
      at = end + 1
    }
    return strings
  }

  /** An integer entry (INT8, INT16, INT32, or CHAR) as numbers; undefined when absent. */
  numbers(tag: number): number[] | undefined {
    const entry = this.entries.get(tag)
    if (entry === undefined) return undefined
    const size =
      entry.type === TYPE.INT32
        ? 4
        : entry.type === TYPE.INT16
          ? 2
          : entry.type === TYPE.INT8 || entry.type === TYPE.CHAR
            ? 1
            : 0
    if (size === 0) throw new RpmHeaderError(`tag ${tag} is not an integer`)
    if (entry.offset + entry.count * size > this.data.length) {
      throw new RpmHeaderError(`tag ${tag} runs past the data`)
    }
    const numbers: number[] = []
    for (let i = 0; i < entry.count; i++) {
      const at = entry.offset + i * size
      numbers.push(
        size === 4
          ? this.data.readUInt32BE(at)
          : size === 2
            ? this.data.readUInt16BE(at)
            : (this.data[at] as number),
      )
    }
    return numbers
  }
}
