// /etc/fstab: what each mount point is mounted from, as what, and with which options, so that a
// policy can ask for "/tmp with nodev" of the configuration rather than of the running mounts.
import { escapeRawPath } from '../../model/index.js'
import type { ConfigParser, ConfigSetting } from './config-parser.js'
import { configLines } from './config-lines.js'
import { indexByKey } from './parsed-config.js'
import { ProblemLog } from './problem-log.js'

// Options that undo each other: of the two, the one written later on a line is in force.
const OPPOSITES: ReadonlyMap<string, string> = new Map(
  [
    ['dev', 'nodev'],
    ['suid', 'nosuid'],
    ['exec', 'noexec'],
    ['ro', 'rw'],
    ['auto', 'noauto'],
    ['user', 'nouser'],
    ['sync', 'async'],
    ['atime', 'noatime'],
    ['diratime', 'nodiratime'],
    ['relatime', 'norelatime'],
    ['strictatime', 'nostrictatime'],
    ['lazytime', 'nolazytime'],
    ['mand', 'nomand'],
    ['iversion', 'noiversion'],
  ].flatMap(([a = '', b = '']) => [
    [a, b],
    [b, a],
  ]),
)

/**
 * Parses fstab. For each mount point (swap areas, which have none: `swap:<device>`), the keys are
 * `<mountpoint>` (the options as written), `<mountpoint>:fstype`, `<mountpoint>:device` and
 * `<mountpoint>:<option>` (its value, or `true` for a flag like `nodev`). Fields are decoded
 * (`\040` is a space) and a mount point loses its trailing slash.
 *
 * Precedence: the last line for a mount point wins (it is mounted last, on top), and every key
 * of that mount point comes from that line alone. Within a line, of two options that undo each
 * other (`nodev,dev`) the later one is in force, so `effective('/tmp:nodev')` is undefined there.
 *
 * @example
 * fstabParser.parse('/etc/fstab', 'tmpfs /tmp tmpfs nodev,nosuid,mode=1777 0 0\n', files)
 *   .effective('/tmp:mode')?.value // '1777'
 */
export const fstabParser: ConfigParser = {
  name: 'fstab',
  parse(file, text) {
    const problems = new ProblemLog(file)
    const written: ConfigSetting[] = []
    const byMount = new Map<string, ConfigSetting[]>()
    for (const line of configLines(text, file, problems, (t) => t.startsWith('#'))) {
      const fields = line.text.trim().split(/\s+/)
      const [device = '', mountPoint = '', fstype, options = 'defaults', dump = '0', pass = '0'] =
        fields
      if (fstype === undefined || fields.length > 6) {
        problems.add(file, line.number, `${fields.length} fields; an fstab line has 3 to 6`)
        continue
      }
      if (!/^\d+$/.test(dump) || !/^\d+$/.test(pass)) {
        problems.add(file, line.number, 'dump and pass must be numbers')
        continue
      }
      const decodedDevice = decodeField(device)
      const mount = fstype === 'swap' ? `swap:${decodedDevice}` : mountPointKey(mountPoint)
      const decodedOptions = decodeField(options)
      const at = { file, line: line.number }
      const base: ConfigSetting[] = [
        { key: mount, value: decodedOptions, ...at },
        { key: `${mount}:fstype`, value: decodeField(fstype), ...at },
        { key: `${mount}:device`, value: decodedDevice, ...at },
      ]
      const optionSettings = splitOptions(decodedOptions).map(({ name, value }): ConfigSetting => ({
        key: `${mount}:${name}`,
        value,
        ...at,
      }))
      written.push(...base, ...optionSettings)
      const inForce = new Map<string, ConfigSetting>()
      for (const setting of optionSettings) {
        const opposite = OPPOSITES.get(setting.key.slice(mount.length + 1))
        if (opposite !== undefined) inForce.delete(`${mount}:${opposite}`)
        inForce.delete(setting.key)
        inForce.set(setting.key, setting)
      }
      byMount.delete(mount)
      byMount.set(mount, [...base, ...inForce.values()])
    }
    const effective = new Map([...byMount.values()].flat().map((setting) => [setting.key, setting]))
    const all = indexByKey(written)
    return {
      effective: (key) => effective.get(key),
      all: (key) => [...(all.get(key) ?? [])],
      problems: problems.list(),
    }
  },
}

/** Options split at commas, except inside double quotes (`context="a,b"`); quotes removed. */
function splitOptions(options: string): { name: string; value: string }[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  for (const char of options) {
    if (char === '"') quoted = !quoted
    if (char === ',' && !quoted) {
      parts.push(current)
      current = ''
    } else {
      current += char
    }
  }
  parts.push(current)
  return parts
    .filter((part) => part !== '')
    .map((part) => {
      const equals = part.indexOf('=')
      if (equals === -1) return { name: part, value: 'true' }
      const value = part.slice(equals + 1)
      const unquoted = /^"[^"]*"$/.test(value) ? value.slice(1, -1) : value
      return { name: part.slice(0, equals), value: unquoted }
    })
    .filter(({ name }) => name !== '')
}

/**
 * A field with fstab's octal escapes (`\040` for a space) decoded, shown as driftwatch shows raw
 * paths: the same text the fstab collector puts in its element keys.
 */
function decodeField(field: string): string {
  const raw = Buffer.from(field, 'utf8')
    .toString('latin1')
    .replace(/\\([0-3][0-7]{2})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
  return escapeRawPath(raw)
}

function mountPointKey(field: string): string {
  const decoded = decodeField(field)
  return decoded.length > 1 ? decoded.replace(/\/+$/, '') || '/' : decoded
}
