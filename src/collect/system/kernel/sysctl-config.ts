// Sysctl configuration as `sysctl --system` and systemd-sysctl apply it at boot: drop-in files
// in precedence order, then /etc/sysctl.conf; a later assignment of a key overrides an earlier one.
import type { Target } from '../../../target/index.js'
import { configLines, readConfigText, type ConfigLine } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { dropInFiles } from './drop-in-files.js'
import { dottedSysctlKey, isSysctlGlob, sysctlKeyComponents } from './sysctl-key.js'

export const SYSCTL_DIRECTORIES = [
  '/etc/sysctl.d',
  '/run/sysctl.d',
  '/usr/local/lib/sysctl.d',
  '/usr/lib/sysctl.d',
  '/lib/sysctl.d',
] as const
/** procps reads it after the drop-ins; systemd-sysctl reads it through the 99-sysctl.conf link. */
export const SYSCTL_CONF = '/etc/sysctl.conf'

export interface SysctlSetting {
  /** The value, whitespace normalised; null for `-key` alone: the key is kept out of globs. */
  readonly value: string | null
  /** The file that set it last. */
  readonly source: string
}

export interface SysctlPattern {
  readonly value: string
  readonly source: string
  /** The pattern's path under /proc/sys, split. */
  readonly components: readonly string[]
}

export interface SysctlConfiguration {
  /** Dotted key → its last assignment. */
  readonly keys: Map<string, SysctlSetting>
  /** Dotted glob pattern → its last assignment, in the order systemd-sysctl applies them. */
  readonly globs: Map<string, SysctlPattern>
}

/**
 * Reads every sysctl configuration file that applies, in the order it applies.
 *
 * @example readSysctlConfiguration(target, problems).keys.get('net.ipv4.ip_forward')
 * // { value: '1', source: '/etc/sysctl.d/90-router.conf' }
 */
export function readSysctlConfiguration(
  target: Target,
  problems: CollectionProblem[],
): SysctlConfiguration {
  const configuration: SysctlConfiguration = { keys: new Map(), globs: new Map() }
  for (const path of [...dropInFiles(target, SYSCTL_DIRECTORIES), SYSCTL_CONF]) {
    const text = readConfigText(target, path, problems)
    if (text === undefined) continue
    applySysctlFile(configLines(text, path, problems), path, configuration, problems)
  }
  return configuration
}

/**
 * Applies the assignments of one file on top of what earlier files set. Lines that are not
 * assignments become problems.
 *
 * @example applySysctlFile([{ number: 1, text: 'kernel/sysrq = 0' }], '/etc/sysctl.conf', configuration, problems)
 */
export function applySysctlFile(
  lines: readonly ConfigLine[],
  path: string,
  configuration: SysctlConfiguration,
  problems: CollectionProblem[],
): void {
  for (const line of lines) {
    let text = line.text.trim()
    if (text === '' || text.startsWith('#') || text.startsWith(';')) continue
    const malformed = (detail: string): void => {
      problems.push({ path: `${path}:${line.number}`, reason: 'malformed', detail })
    }
    // `-key = value`: a failure to set it is ignored; `-key` alone keeps the key out of globs.
    const ignoreFailure = text.startsWith('-')
    if (ignoreFailure) text = text.slice(1).trimStart()
    const equals = text.indexOf('=')
    if (equals === -1 && !ignoreFailure) {
      malformed('not an assignment (key = value)')
      continue
    }
    const writtenKey = (equals === -1 ? text : text.slice(0, equals)).trim()
    const components = sysctlKeyComponents(writtenKey)
    if (components === undefined) {
      malformed('not a sysctl key')
      continue
    }
    const value =
      equals === -1
        ? null
        : text
            .slice(equals + 1)
            .trim()
            .replace(/\s+/g, ' ')
    const key = dottedSysctlKey(components)
    if (isSysctlGlob(components) && value !== null) {
      // Reassigning a pattern moves it last: systemd-sysctl applies patterns in that order.
      configuration.globs.delete(key)
      configuration.globs.set(key, { value, source: path, components })
    } else {
      configuration.keys.set(key, { value, source: path })
    }
  }
}
