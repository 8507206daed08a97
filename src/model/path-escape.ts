// File names on Linux are bytes, not text. driftwatch shows them as UTF-8 and writes every byte
// that is not printable UTF-8 as `\xNN`, reversibly (a backslash itself is `\x5c`).

const decoder = new TextDecoder('utf-8', { fatal: true })
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
      try {
        out += decoder.decode(bytes.subarray(i, i + length))
        i += length
        continue
      } catch {
        // not a valid sequence: fall through and escape the single byte
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
  let raw = ''
  let last = 0
  for (const match of display.matchAll(/\\x([0-9a-f]{2})/g)) {
    raw += Buffer.from(display.slice(last, match.index), 'utf8').toString('latin1')
    raw += String.fromCharCode(parseInt(match[1] as string, 16))
    last = match.index + match[0].length
  }
  return raw + Buffer.from(display.slice(last), 'utf8').toString('latin1')
}
