// The `*.conf` drop-in directories of sysctl.d, modprobe.d and modules-load.d: a file name in an
// earlier directory masks the same name in later ones, and all files apply in file name order.
import type { Target } from '../../../target/index.js'

/** A link to /dev/null, absolute or relative (`../../dev/null`): `..` stops at the root. */
const DEV_NULL = /^(?:\/|(?:\.\.\/)+)dev\/null$/

/**
 * The files that apply, in the order they apply. A file linked to /dev/null only masks: it is
 * left out.
 *
 * @example dropInFiles(target, ['/etc/sysctl.d', '/usr/lib/sysctl.d'])
 * // ['/usr/lib/sysctl.d/50-default.conf', '/etc/sysctl.d/99-local.conf']
 */
export function dropInFiles(target: Target, directories: readonly string[]): string[] {
  const byName = new Map<string, string>()
  for (const directory of directories) {
    for (const name of target.listDirectory(directory) ?? []) {
      if (!name.endsWith('.conf') || byName.has(name)) continue
      byName.set(name, `${directory}/${name}`)
    }
  }
  return [...byName]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, path]) => path)
    .filter((path) => !DEV_NULL.test(target.readLink(path) ?? ''))
}
