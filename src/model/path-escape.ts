// File names on Linux are bytes, not text. driftwatch shows them as UTF-8 and writes every byte
// that is not printable UTF-8 as `\xNN`, reversibly (a backslash itself is `\x5c`). Characters
// that would disguise a name on a terminal are escaped too: C0 and C1 controls, the byte-order
// mark, and the bidirectional-text and zero-width format characters.

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Decoded characters shown as their bytes: they are invisible or reorder what follows. */
function disguises(codePoint: number): boolean {
  return (
    (codePoint >= 0x80 && codePoint <= 0x9f) || // C1 controls
    codePoint === 0xad || // soft hyphen
    codePoint === 0x61c || // Arabic letter mark
    (codePoint >= 0x200b && codePoint <= 0x200f) || // zero-width spaces and joiners, LRM, RLM
    (codePoint >= 0x2028 && codePoint <= 0x202e) || // line and paragraph separators, bidi embeddings
    (codePoint >= 0x2060 && codePoint <= 0x2064) || // word joiner, invisible operators
    (codePoint >= 0x2066 && codePoint <= 0x2069) || // bidi isolates
    codePoint === 0xfeff // byte-order mark, zero-width no-break space
  )
}
const PLAIN = /^[\x20-\x5b\x5d-\x7e]*$/

/**
 * Turns a raw path (a "byte string": one char per byte, as `fs` returns with encoding `latin1`)
 * into its display form.
 *
 * @example escapeRawPath('/etc/caf\xc3\xa9') // '/etc/café'
 * @example escapeRawPath('/tmp/\xff')       // '/tmp/\\xff'
 */
export function escapeRawPath(raw: string): string {
  if (PLAIN.test(raw)) return raw
  return escapeBytes(Buffer.from(raw, 'latin1'))
}

/** Display form of a path given as bytes. */
export function escapeBytes(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i] as number
    if (b >= 0x20 && b < 0x7f && b !== 0x5c) {
      out += String.fromCharCode(b)
      i += 1
      continue
    }
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
    if (length > 1 && i + length <= bytes.length) {
      let character: string | undefined
      try {
        character = decoder.decode(bytes.subarray(i, i + length))
      } catch {
        // not a valid sequence: escape the single byte below
      }
      if (character !== undefined && !disguises(character.codePointAt(0) ?? 0)) {
        out += character
        i += length
        continue
      }
      if (character !== undefined) {
        for (let k = 0; k < length; k++)
          out += `\\x${(bytes[i + k] as number).toString(16).padStart(2, '0')}`
        i += length
        continue
      }
    }
    out += `\\x${b.toString(16).padStart(2, '0')}`
    i += 1
  }
  return out
}

/**
 * The inverse of {@link escapeRawPath}: back to the raw byte string.
 *
 * @example unescapeToRawPath('/tmp/\\xff') // '/tmp/\xff'
 */
export function unescapeToRawPath(display: string): string {
  // Printable ASCII without a backslash escapes nothing and is its own bytes.
  if (PLAIN.test(display)) return display
  let raw = ''
  let last = 0
  for (const match of display.matchAll(/\\x([0-9a-f]{2})/g)) {
    raw += Buffer.from(display.slice(last, match.index), 'utf8').toString('latin1')
    raw += String.fromCharCode(parseInt(match[1] as string, 16))
    last = match.index + match[0].length
  }
  return raw + Buffer.from(display.slice(last), 'utf8').toString('latin1')
}

/**
 * A raw path as `fs` takes it: the string itself when it is ASCII (the same bytes in UTF-8, and
 * cheaper: a walk passes thousands), otherwise its bytes.
 *
 * @example fsPath('/etc/passwd') // '/etc/passwd'
 * @example fsPath('/tmp/\xff')   // <Buffer 2f 74 6d 70 2f ff>
 */
export function fsPath(raw: string): string | Buffer {
  for (let index = 0; index < raw.length; index++) {
    const code = raw.charCodeAt(index)
    // NUL too takes the Buffer path, which refuses it as it always did.
    if (code === 0 || code > 0x7f) return Buffer.from(raw, 'latin1')
  }
  return raw
}
