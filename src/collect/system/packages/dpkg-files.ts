// What dpkg recorded about a package's files: the list it installed (info/<pkg>.list) and their
// MD5 sums (info/<pkg>.md5sums). Comparing those sums with the files tells a package upgrade
// (new sums recorded) from a binary changed behind dpkg's back (sums differ).
import { escapeBytes } from '../../../model/index.js'
import type { Target } from '../../../target/index.js'
import { MAX_CONFIG_BYTES } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'

const INFO_DIRECTORY = '/var/lib/dpkg/info'

/**
 * The paths a package installed, as file keys show them (non-UTF-8 bytes escaped), in the order
 * dpkg listed them. Undefined when dpkg has no list for it.
 *
 * @example readDpkgFileList(target, 'libc6', 'amd64') // ['/etc', '/etc/ld.so.conf.d', …]
 */
export function readDpkgFileList(
  target: Target,
  name: string,
  architecture?: string,
  problems: CollectionProblem[] = [],
): string[] | undefined {
  const read = readInfoFile(target, name, architecture, 'list', problems)
  if (read === undefined) return undefined
  const paths: string[] = []
  for (const line of splitLines(read.bytes)) {
    if (line.length === 0) continue
    const path = escapeBytes(line)
    // dpkg lists the root of the package as "/.".
    if (path !== '/.') paths.push(path)
  }
  return paths
}

/**
 * The MD5 sums dpkg recorded for a package's files: path (as file keys show it) → 32 lowercase
 * hex digits. Empty when the package ships none (some do not). Malformed lines are problems.
 *
 * @example readDpkgFileDigests(target, 'openssh-server').get('/usr/sbin/sshd') // '5e8d…'
 */
export function readDpkgFileDigests(
  target: Target,
  name: string,
  architecture?: string,
  problems: CollectionProblem[] = [],
): Map<string, string> {
  const read = readInfoFile(target, name, architecture, 'md5sums', problems)
  if (read === undefined) return new Map()
  return parseDpkgMd5sums(read.bytes, read.path, problems)
}

/**
 * Parses an md5sums file: `<32 hex digits>  <path without its leading slash>` per line. The
 * path is bytes, as dpkg stores it.
 *
 * @example
 * parseDpkgMd5sums(Buffer.from('d41d8cd98f00b204e9800998ecf8427e  usr/share/doc/x/copyright\n'),
 *   'x.md5sums', [])
 * // Map { '/usr/share/doc/x/copyright' => 'd41d8cd98f00b204e9800998ecf8427e' }
 */
export function parseDpkgMd5sums(
  bytes: Buffer,
  path: string,
  problems: CollectionProblem[],
): Map<string, string> {
  const digests = new Map<string, string>()
  let number = 0
  for (const line of splitLines(bytes)) {
    number += 1
    if (line.length === 0) continue
    const digest = line.subarray(0, 32).toString('latin1')
    // Two spaces (text mode), or a space and an asterisk (binary mode), as md5sum writes them.
    const separator = line.subarray(32, 34).toString('latin1')
    if (
      !/^[0-9a-fA-F]{32}$/.test(digest) ||
      !(separator === '  ' || separator === ' *') ||
      line.length < 35
    ) {
      problems.push({
        path: `${path}:${number}`,
        reason: 'malformed',
        detail: 'not an md5sum line: 32 hex digits, two spaces, a path',
      })
      continue
    }
    const relative = line.subarray(34)
    const filePath = escapeBytes(
      relative[0] === 0x2f ? relative : Buffer.concat([Buffer.from('/'), relative]),
    )
    digests.set(filePath, digest.toLowerCase())
  }
  return digests
}

/**
 * Reads info/<name>:<arch>.<kind>, where dpkg keeps files of packages installable for several
 * architectures at once (Multi-Arch: same), or else info/<name>.<kind>.
 */
function readInfoFile(
  target: Target,
  name: string,
  architecture: string | undefined,
  kind: 'list' | 'md5sums',
  problems: CollectionProblem[],
): { bytes: Buffer; path: string } | undefined {
  const candidates = architecture === undefined ? [name] : [`${name}:${architecture}`, name]
  for (const candidate of candidates) {
    // A package name never holds a slash; refusing one keeps the read inside info/.
    if (candidate.includes('/')) return undefined
    const path = `${INFO_DIRECTORY}/${candidate}.${kind}`
    try {
      const bytes = target.readFile(path, MAX_CONFIG_BYTES)
      if (bytes !== undefined) return { bytes, path }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      problems.push({ path, reason: 'unreadable', detail: code ?? (error as Error).message })
      return undefined
    }
  }
  return undefined
}

/** Splits bytes on newlines: the paths in them may not be UTF-8. */
function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = []
  let start = 0
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start)
    if (end === -1) end = bytes.length
    lines.push(bytes.subarray(start, end))
    start = end + 1
  }
  return lines
}
