// `mount:<mountpoint>` elements: what the running kernel has mounted (/proc/self/mounts), less
// the pseudo file systems and the per-session mounts that come and go with logins.
import type { Element } from '../../../model/index.js'
import { PSEUDO_FILESYSTEM_TYPES } from '../../../target/index.js'
import type { ConfigLine } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { decodeMountField, mountPointKey } from './mount-field.js'

/** Kernel views and per-login mounts: their state is not configuration. */
const LEFT_OUT_UNDER = ['/proc', '/sys', '/dev', '/run/user']
/** Except the world-writable shared memory mount: hardening benchmarks judge its options. */
const KEPT: ReadonlySet<string> = new Set(['/dev/shm'])

/**
 * One element per mount point. A point mounted several times keeps the last mount: the one that
 * is visible.
 *
 * @example mountElements([{ number: 1, text: '/dev/vda / ext4 rw,relatime 0 0' }], '/proc/self/mounts', [])
 * // [{ key: 'mount:/', attributes: { device: '/dev/vda', fstype: 'ext4', options: 'rw,relatime' } }]
 */
export function mountElements(
  lines: readonly ConfigLine[],
  path: string,
  problems: CollectionProblem[],
): Element[] {
  const elements = new Map<string, Element>()
  for (const line of lines) {
    if (line.text.trim() === '') continue
    const fields = line.text.trim().split(/\s+/)
    const [device, mountPoint, fstype, options] = fields
    if (options === undefined || fields.length > 6) {
      problems.push({
        path: `${path}:${line.number}`,
        reason: 'malformed',
        detail: 'not a mount line',
      })
      continue
    }
    const point = mountPointKey(mountPoint as string)
    if (PSEUDO_FILESYSTEM_TYPES.has(fstype as string) || isLeftOut(point)) continue
    const key = `mount:${point}`
    elements.delete(key)
    elements.set(key, {
      key,
      attributes: {
        device: decodeMountField(device as string),
        fstype: fstype as string,
        options: decodeMountField(options),
      },
    })
  }
  return [...elements.values()]
}

function isLeftOut(point: string): boolean {
  if (KEPT.has(point)) return false
  return LEFT_OUT_UNDER.some((prefix) => point === prefix || point.startsWith(`${prefix}/`))
}
