// Turns what was read about one path into a `file:` element with the attributes its rule asks for.
import { constants } from 'node:fs'
import { escapeRawPath, fileKey, type AttributeValue, type Element } from '../../model/index.js'
import type { FileAttribute } from './file-rules.js'
import type { Stats } from 'node:fs'
import type { StatTuple } from './file-reading.js'
import type { OwnerNames } from '../owner-names.js'

export type FileType =
  'file' | 'directory' | 'symlink' | 'fifo' | 'socket' | 'char-device' | 'block-device' | 'unknown'

export function fileTypeOf(mode: number): FileType {
  switch (mode & constants.S_IFMT) {
    case constants.S_IFREG:
      return 'file'
    case constants.S_IFDIR:
      return 'directory'
    case constants.S_IFLNK:
      return 'symlink'
    case constants.S_IFIFO:
      return 'fifo'
    case constants.S_IFSOCK:
      return 'socket'
    case constants.S_IFCHR:
      return 'char-device'
    case constants.S_IFBLK:
      return 'block-device'
    default:
      return 'unknown'
  }
}

/** Permission bits including setuid, setgid and sticky, as four octal digits: `4755`. */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0')
}

export interface FileObservation {
  readonly stat: StatTuple
  readonly target?: string | undefined
  readonly sha256?: string | undefined
  readonly content?: string | undefined
  /** The content could not be hashed this time (unreadable, changed while read). */
  readonly unhashed?: boolean | undefined
}

/**
 * @example buildFileElement('/etc/motd', observation, new Set(['type', 'mode']), names)
 * // { key: 'file:/etc/motd', attributes: { type: 'file', mode: '0644' } }
 */
export function buildFileElement(
  rawPath: string,
  observation: FileObservation,
  wanted: ReadonlySet<FileAttribute>,
  names: OwnerNames,
): Element {
  const [mode, uid, gid, size, mtimeMs, ctimeMs, inode, nlink, rdev] = observation.stat
  const type = fileTypeOf(mode)
  const attributes: Record<string, AttributeValue> = {}
  if (wanted.has('type')) attributes['type'] = type
  if (wanted.has('mode')) attributes['mode'] = formatMode(mode)
  if (wanted.has('uid')) {
    attributes['uid'] = uid
    const user = names.users.get(uid)
    if (user !== undefined) attributes['user'] = user
  }
  if (wanted.has('gid')) {
    attributes['gid'] = gid
    const group = names.groups.get(gid)
    if (group !== undefined) attributes['group'] = group
  }
  if (wanted.has('size')) attributes['size'] = size
  if (wanted.has('mtime')) attributes['mtime'] = new Date(mtimeMs).toISOString()
  if (wanted.has('ctime')) attributes['ctime'] = new Date(ctimeMs).toISOString()
  if (wanted.has('inode')) attributes['inode'] = inode
  if (wanted.has('nlink')) attributes['nlink'] = nlink
  if (wanted.has('rdev') && (type === 'char-device' || type === 'block-device')) {
    attributes['rdev'] = formatDeviceNumber(rdev)
  }
  if (wanted.has('target') && type === 'symlink' && observation.target !== undefined) {
    attributes['target'] = escapeRawPath(observation.target)
  }
  if (wanted.has('sha256') && observation.sha256 !== undefined) {
    attributes['sha256'] = observation.sha256
  }
  const element: { -readonly [K in keyof Element]: Element[K] } = {
    key: fileKey(escapeRawPath(rawPath)),
    attributes,
  }
  if (observation.content !== undefined) element.content = observation.content
  if (observation.unhashed === true && type === 'file' && wanted.has('sha256')) {
    element.unverified = ['sha256']
  }
  return element
}

export function statTuple(stat: Stats): StatTuple {
  return [
    stat.mode,
    stat.uid,
    stat.gid,
    stat.size,
    stat.mtimeMs,
    stat.ctimeMs,
    stat.ino,
    stat.nlink,
    stat.rdev,
  ]
}

/**
 * A device number as `major:minor`, decoded as Linux encodes it (glibc's major() and minor()).
 *
 * @example formatDeviceNumber(259) // '1:3'
 */
export function formatDeviceNumber(rdev: number): string {
  const high = Math.floor(rdev / 2 ** 32)
  const low = rdev >>> 0
  const major = ((low >>> 8) & 0xfff) | ((high & 0xfffff000) >>> 0)
  const minor = (low & 0xff) | ((low >>> 12) & 0xfff00)
  return `${major}:${minor}`
}
