// Parses dpkg's status database (/var/lib/dpkg/status, deb822 stanzas): which packages dpkg
// knows, in which version and state.
import { configLine, MAX_LINE_CHARS } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'

export const DPKG_STATUS_PATH = '/var/lib/dpkg/status'

export interface DpkgPackage {
  readonly name: string
  /** Undefined only in a damaged stanza (a problem says so). */
  readonly version: string | undefined
  /** `amd64`, `all` …; undefined only in a damaged stanza. */
  readonly architecture: string | undefined
  /** Want, error flag and state: `install ok installed`, `deinstall ok config-files`. */
  readonly status: string
  /** `same` for packages installable for several architectures at once; `foreign` … */
  readonly multiArch: string | undefined
  /** The source package, as written: `glibc` or `glibc (2.36-9)`. */
  readonly source: string | undefined
}

/** Field names: printable ASCII without a colon, not starting with `#` or `-` (deb822(5)). */
const FIELD = /^([!-9;-~][!-9;-~]*):(.*)$/
/** A line of whitespace only, and the newline before it. */
const BLANK_LINE = /\n[^\S\n]*(?=\n|$)/g

/**
 * Where the next blank line (as the line loop sees one: trimmed empty, not too long to be read)
 * starts, from the start of a line; the end of the text when none does.
 */
function nextBlankLine(text: string, lineStart: number): number {
  BLANK_LINE.lastIndex = Math.max(0, lineStart - 1)
  for (;;) {
    const found = BLANK_LINE.exec(text)
    if (found === null) return text.length + 1
    // A line of whitespace longer than any line is dropped, not a blank line.
    if (found[0].length - 1 <= MAX_LINE_CHARS) return found.index + 1
  }
}

/**
 * Reads the stanzas of a dpkg status file. Stanzas of packages that are not installed and
 * left nothing behind (`not-installed`) are dropped: dpkg keeps them only for their selection.
 * So are those of packages `wanted` refuses by name (their lines are not even looked at).
 *
 * @example
 * parseDpkgStatus('Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b7\n' +
 *   'Architecture: amd64\n', DPKG_STATUS_PATH, [])
 * // [{ name: 'bash', version: '5.2.15-2+b7', architecture: 'amd64',
 * //    status: 'install ok installed', multiArch: undefined, source: undefined }]
 */
export function parseDpkgStatus(
  text: string,
  path: string,
  problems: CollectionProblem[],
  wanted: (name: string) => boolean = () => true,
): DpkgPackage[] {
  const packages: DpkgPackage[] = []
  let fields = new Map<string, string>()
  let start = 0
  // A stanza whose package is not wanted is passed over to its end: most of the file, when an
  // assessment asks about a hundred packages of a thousand.
  let passOver = false
  const finish = (): void => {
    if (fields.size > 0 && !passOver) {
      const found = stanzaPackage(fields, `${path}:${start}`, problems)
      if (found !== undefined) packages.push(found)
    }
    fields = new Map()
    passOver = false
  }
  let number = 0
  for (let position = 0; position <= text.length;) {
    if (passOver) {
      // Straight to the blank line that ends the stanza, counting the lines passed over.
      const blank = nextBlankLine(text, position)
      for (let at = text.indexOf('\n', position); at !== -1 && at < blank;) {
        number += 1
        at = text.indexOf('\n', at + 1)
      }
      position = blank
      if (position > text.length) break
    }
    const newline = text.indexOf('\n', position)
    const end = newline === -1 ? text.length : newline
    number += 1
    const line = configLine(text.slice(position, end), path, number, problems)
    position = end + 1
    if (line === undefined) continue
    if (line.trim() === '') {
      finish()
      continue
    }
    // A continuation line belongs to the field before it (Description, Conffiles …).
    if (line.startsWith(' ') || line.startsWith('\t')) continue
    if (fields.size === 0) start = number
    const match = FIELD.exec(line)
    if (match === null) {
      problems.push({
        path: `${path}:${number}`,
        reason: 'malformed',
        detail: 'not a Field: value line',
      })
      continue
    }
    // Field names are case-insensitive; the first occurrence counts.
    const name = (match[1] as string).toLowerCase()
    if (fields.has(name)) continue
    const value = (match[2] as string).trim()
    fields.set(name, value)
    if (name === 'package' && !wanted(value)) passOver = true
  }
  finish()
  return packages
}

function stanzaPackage(
  fields: ReadonlyMap<string, string>,
  where: string,
  problems: CollectionProblem[],
): DpkgPackage | undefined {
  const name = fields.get('package')
  const status = fields.get('status')?.split(/\s+/)
  if (name === undefined || !/^[a-z0-9][a-z0-9+.-]*$/.test(name)) {
    problems.push({
      path: where,
      reason: 'malformed',
      detail: 'stanza without a valid Package field',
    })
    return undefined
  }
  if (status === undefined || status.length !== 3) {
    problems.push({
      path: where,
      reason: 'malformed',
      detail: `package ${name}: Status is not "want flag state"`,
    })
    return undefined
  }
  if (status[2] === 'not-installed') return undefined
  const version = fields.get('version')
  const architecture = fields.get('architecture')
  for (const [field, value] of [
    ['Version', version],
    ['Architecture', architecture],
  ] as const) {
    if (value === undefined || value === '') {
      problems.push({ path: where, reason: 'malformed', detail: `package ${name}: no ${field}` })
    }
  }
  return {
    name,
    version: version || undefined,
    architecture: architecture || undefined,
    status: status.join(' '),
    multiArch: fields.get('multi-arch'),
    source: fields.get('source') || undefined,
  }
}
