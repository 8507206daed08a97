// The running kernel's sysctl values, read from /proc/sys through the Target.
import type { Target } from '../../../target/index.js'
import type { CollectionProblem } from '../system-collector.js'
import { dottedSysctlKey, sysctlKeyComponents } from './sysctl-key.js'
import { liveValueLeftOut } from './volatile-sysctl-keys.js'

const PROC_SYS = '/proc/sys'
/** No sysctl value is near this long; a longer one is not a setting. */
const MAX_VALUE_BYTES = 1024 * 1024
/** binfmt_misc is a filesystem of its own mounted there: its entries are not sysctls. */
const NOT_SYSCTLS: ReadonlySet<string> = new Set([`${PROC_SYS}/fs/binfmt_misc`])

/**
 * Reads every sysctl value but the volatile, secret and action keys, whitespace normalised —
 * or, given `only`, just those keys (dotted, as driftwatch shows them) that exist. Entries that
 * cannot be read are counted in one problem; write-only ones (EACCES for root) are skipped
 * quietly, as `sysctl -a` does.
 *
 * @example readLiveSysctl(openTarget({}), problems).get('kernel.ostype') // 'Linux'
 * @example readLiveSysctl(openTarget({}), problems, undefined, ['kernel.ostype']).size // 1
 */
export function readLiveSysctl(
  target: Target,
  problems: CollectionProblem[],
  runsAsRoot = process.geteuid?.() === 0,
  only?: readonly string[],
): Map<string, string> {
  const values = new Map<string, string>()
  const failures = new Map<string, string[]>()
  const read = (path: string, key: string): void => {
    if (liveValueLeftOut(key)) return
    try {
      const bytes = target.readFile(path, MAX_VALUE_BYTES)
      if (bytes !== undefined) values.set(key, bytes.toString('utf8').trim().replace(/\s+/g, ' '))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error'
      // For root, EACCES means the entry has no read permission at all: a write-only trigger.
      if (code === 'EACCES' && runsAsRoot) return
      failures.set(code, [...(failures.get(code) ?? []), key])
    }
  }
  const walk = (directory: string, components: readonly string[]): void => {
    for (const name of target.listDirectory(directory) ?? []) {
      const path = `${directory}/${name}`
      const type = target.entryType(path)
      if (type === 'directory') {
        if (!NOT_SYSCTLS.has(path)) walk(path, [...components, name])
        continue
      }
      if (type === 'file') read(path, dottedSysctlKey([...components, name]))
    }
  }
  if (only === undefined) walk(PROC_SYS, [])
  else for (const key of only) readOne(target, key, read)
  if (failures.size > 0) {
    const counts = [...failures].map(([code, keys]) => `${code}: ${keys.length}`).join(', ')
    const first = [...failures.values()].flat().slice(0, 3).join(', ')
    problems.push({
      path: PROC_SYS,
      reason: 'unreadable',
      detail: `values of some keys not recorded (${counts}), e.g. ${first}`,
    })
  }
  return values
}

/**
 * Reads one key if the walk would have found it: under directories only (no link, not
 * binfmt_misc), as a file, and named in the walk's own dotted form.
 */
function readOne(target: Target, key: string, read: (path: string, key: string) => void): void {
  const components = sysctlKeyComponents(key)
  if (components === undefined || dottedSysctlKey(components) !== key) return
  let path = PROC_SYS
  for (const component of components.slice(0, -1)) {
    path = `${path}/${component}`
    if (NOT_SYSCTLS.has(path) || target.entryType(path) !== 'directory') return
  }
  path = `${path}/${components.at(-1) as string}`
  if (target.entryType(path) === 'file') read(path, key)
}
