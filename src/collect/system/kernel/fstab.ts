// `fstab:<mountpoint>` elements: the file systems /etc/fstab mounts, with options as written (a
// hardening check looks for nodev,nosuid,noexec on /tmp there, not in what happens to be mounted).
import type { Element } from '../../../model/index.js'
import type { ConfigLine } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { decodeMountField, mountPointKey } from './mount-field.js'

/**
 * One element per mount point; swap areas, which have none, as `fstab:swap:<device>`. When a
 * point is listed twice the last line wins: it is mounted last, on top. Missing fields take
 * mount's defaults (`defaults`, 0, 0).
 *
 * @example fstabElements([{ number: 1, text: 'UUID=1a2b / ext4 errors=remount-ro 0 1' }], '/etc/fstab', [])
 * // [{ key: 'fstab:/', attributes: { device: 'UUID=1a2b', fstype: 'ext4', options: 'errors=remount-ro', dump: 0, pass: 1 } }]
 */
export function fstabElements(
  lines: readonly ConfigLine[],
  path: string,
  problems: CollectionProblem[],
): Element[] {
  const elements = new Map<string, Element>()
  for (const line of lines) {
    const text = line.text.trim()
    if (text === '' || text.startsWith('#')) continue
    const malformed = (detail: string): void => {
      problems.push({ path: `${path}:${line.number}`, reason: 'malformed', detail })
    }
    const fields = text.split(/\s+/)
    const [device, mountPoint, fstype, options = 'defaults', dump = '0', pass = '0'] = fields
    if (fstype === undefined || fields.length > 6) {
      malformed(`${fields.length} fields; an fstab line has 3 to 6`)
      continue
    }
    if (!/^\d+$/.test(dump) || !/^\d+$/.test(pass)) {
      malformed('dump and pass must be numbers')
      continue
    }
    const decodedDevice = decodeMountField(device as string)
    const key =
      fstype === 'swap'
        ? `fstab:swap:${decodedDevice}`
        : `fstab:${mountPointKey(mountPoint as string)}`
    elements.delete(key)
    elements.set(key, {
      key,
      attributes: {
        device: decodedDevice,
        fstype,
        options: decodeMountField(options),
        dump: Number(dump),
        pass: Number(pass),
      },
    })
  }
  return [...elements.values()]
}
