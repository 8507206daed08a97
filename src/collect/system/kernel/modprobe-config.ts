// Kernel module configuration as kmod reads it: modprobe.d (`blacklist`, `install` …) and the
// lists of modules loaded at boot (modules-load.d, Debian's /etc/modules).
import type { ConfigLine } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'

export interface ModuleConfiguration {
  /** Modules named on a `blacklist` line: not loaded by alias, still loadable by name. */
  readonly blacklisted: Set<string>
  /** Module → the command of its first `install` line, which kmod runs instead of loading it. */
  readonly install: Map<string, string>
  /** Modules listed to load at boot. */
  readonly loadAtBoot: Set<string>
}

/** What kmod accepts as a module name or alias; `pci:v00008086d*` aliases included. */
const MODULE_NAME = /^[\w.:*?[\]-]+$/
/** Commands kmod knows; others are errors to it and problems to us. */
const MODPROBE_COMMANDS = new Set([
  'alias',
  'blacklist',
  'install',
  'options',
  'remove',
  'softdep',
  'weakdep',
])

export function emptyModuleConfiguration(): ModuleConfiguration {
  return { blacklisted: new Set(), install: new Map(), loadAtBoot: new Set() }
}

/**
 * Applies one modprobe.d file. Lines ending in `\` continue on the next line, as in kmod.
 *
 * @example applyModprobeFile([{ number: 1, text: 'install usb-storage /bin/true' }], path, configuration, problems)
 * // configuration.install.get('usb_storage') === '/bin/true'
 */
export function applyModprobeFile(
  lines: readonly ConfigLine[],
  path: string,
  configuration: ModuleConfiguration,
  problems: CollectionProblem[],
): void {
  for (const line of joinContinuations(lines)) {
    const text = line.text.trim()
    if (text === '' || text.startsWith('#')) continue
    const malformed = (detail: string): void => {
      problems.push({ path: `${path}:${line.number}`, reason: 'malformed', detail })
    }
    const [command = '', written = '', ...rest] = text.split(/\s+/)
    if (!MODPROBE_COMMANDS.has(command)) {
      malformed('not a modprobe.d command')
      continue
    }
    if (command !== 'blacklist' && command !== 'install') continue
    const name = moduleName(written)
    if (name === undefined) {
      malformed(`${command} without a module name`)
      continue
    }
    if (command === 'blacklist') {
      configuration.blacklisted.add(name)
      continue
    }
    if (rest.length === 0) {
      malformed('install without a command')
      continue
    }
    // kmod runs the first install command it finds for a module
    if (!configuration.install.has(name)) {
      configuration.install.set(name, text.replace(/^\S+\s+\S+\s+/, ''))
    }
  }
}

/**
 * Applies a list of modules to load at boot: one name per line (modules-load.d), or a name
 * followed by parameters (/etc/modules).
 *
 * @example applyModulesLoadFile([{ number: 1, text: 'br_netfilter' }], path, configuration, problems)
 */
export function applyModulesLoadFile(
  lines: readonly ConfigLine[],
  path: string,
  configuration: ModuleConfiguration,
  problems: CollectionProblem[],
): void {
  for (const line of lines) {
    const text = line.text.trim()
    if (text === '' || text.startsWith('#') || text.startsWith(';')) continue
    const name = moduleName(text.split(/\s+/)[0] as string)
    if (name === undefined) {
      problems.push({
        path: `${path}:${line.number}`,
        reason: 'malformed',
        detail: 'not a module name',
      })
      continue
    }
    configuration.loadAtBoot.add(name)
  }
}

/**
 * The names of the loaded modules, from /proc/modules (`name size refcount deps state address`).
 *
 * @example loadedModules([{ number: 1, text: 'nf_tables 372736 0 - Live 0x0' }], '/proc/modules', [])
 * // Set { 'nf_tables' }
 */
export function loadedModules(
  lines: readonly ConfigLine[],
  path: string,
  problems: CollectionProblem[],
): Set<string> {
  const loaded = new Set<string>()
  for (const line of lines) {
    if (line.text.trim() === '') continue
    const [written = '', size] = line.text.trim().split(/\s+/)
    const name = moduleName(written)
    if (name === undefined || size === undefined || !/^\d+$/.test(size)) {
      problems.push({
        path: `${path}:${line.number}`,
        reason: 'malformed',
        detail: 'not a module line',
      })
      continue
    }
    loaded.add(name)
  }
  return loaded
}

/** kmod treats `-` and `_` in names as the same (outside `[…]`): we show `_`, as /proc does. */
function moduleName(written: string): string | undefined {
  if (!MODULE_NAME.test(written)) return undefined
  let inBrackets = false
  let name = ''
  for (const character of written) {
    if (character === '[') inBrackets = true
    else if (character === ']') inBrackets = false
    name += character === '-' && !inBrackets ? '_' : character
  }
  return name
}

function joinContinuations(lines: readonly ConfigLine[]): ConfigLine[] {
  const joined: ConfigLine[] = []
  let pending: ConfigLine | undefined
  for (const line of lines) {
    const text = pending === undefined ? line.text : `${pending.text} ${line.text}`
    const number = pending?.number ?? line.number
    if (text.endsWith('\\')) pending = { number, text: text.slice(0, -1) }
    else {
      joined.push({ number, text })
      pending = undefined
    }
  }
  if (pending !== undefined) joined.push(pending)
  return joined
}
