// ConfigFiles over a plain map of path → content: what the evaluator builds from a snapshot's kept
// file contents, and what tests hand the parsers.
import picomatch from 'picomatch'
import type { ConfigFiles } from './config-parser.js'

/**
 * The files a parser may include. `list` matches like glob(3), which sshd uses: `*` and `?` stay
 * within one path component and do not match a leading dot; results are sorted by code unit.
 *
 * @example
 * const files = inMemoryConfigFiles({ '/etc/ssh/sshd_config.d/10-a.conf': 'Port 22\n' })
 * files.list('/etc/ssh/sshd_config.d/*.conf') // ['/etc/ssh/sshd_config.d/10-a.conf']
 */
export function inMemoryConfigFiles(
  files: Readonly<Record<string, string>> | ReadonlyMap<string, string>,
): ConfigFiles {
  const contents = new Map<string, string>(isMap(files) ? files : Object.entries(files))
  const paths = [...contents.keys()].sort(byCodeUnit)
  return {
    read: (path) => contents.get(path),
    list: (glob) => {
      let matches: (path: string) => boolean
      try {
        matches = picomatch(glob, { dot: false })
      } catch {
        // A pattern picomatch cannot compile matches nothing, as a glob that finds no file.
        return []
      }
      return paths.filter((path) => matches(path))
    },
  }
}

function isMap(value: object): value is ReadonlyMap<string, string> {
  return value instanceof Map
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
