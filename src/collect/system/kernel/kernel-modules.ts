// `kernel-module:<name>` elements: every module that is loaded (live) or configured — disabled
// with `blacklist` or `install … /bin/true`, or listed to load at boot.
import type { AttributeValue, Element } from '../../../model/index.js'
import type { Target } from '../../../target/index.js'
import { configLines, readConfigText } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { dropInFiles } from './drop-in-files.js'
import {
  applyModprobeFile,
  applyModulesLoadFile,
  emptyModuleConfiguration,
  loadedModules,
  type ModuleConfiguration,
} from './modprobe-config.js'

export const MODPROBE_DIRECTORIES = [
  '/etc/modprobe.d',
  '/run/modprobe.d',
  '/usr/local/lib/modprobe.d',
  '/usr/lib/modprobe.d',
  '/lib/modprobe.d',
] as const
export const MODULES_LOAD_DIRECTORIES = [
  '/etc/modules-load.d',
  '/run/modules-load.d',
  '/usr/local/lib/modules-load.d',
  '/usr/lib/modules-load.d',
  '/lib/modules-load.d',
] as const
const ETC_MODULES = '/etc/modules'
const PROC_MODULES = '/proc/modules'

/**
 * Reads the module configuration of the Target and, on a live host, the loaded modules.
 *
 * @example kernelModuleElements(target, problems)
 * // [{ key: 'kernel-module:usb_storage', attributes: { blacklisted: true, install: '/bin/true', loadAtBoot: false, loaded: false } }]
 */
export function kernelModuleElements(target: Target, problems: CollectionProblem[]): Element[] {
  const configuration = readModuleConfiguration(target, problems)
  const loaded = target.live ? readLoadedModules(target, problems) : undefined
  const names = new Set([
    ...configuration.blacklisted,
    ...configuration.install.keys(),
    ...configuration.loadAtBoot,
    ...(loaded ?? []),
  ])
  return [...names].sort().map((name) => {
    const attributes: Record<string, AttributeValue> = {}
    if (loaded !== undefined) attributes['loaded'] = loaded.has(name)
    attributes['blacklisted'] = configuration.blacklisted.has(name)
    const install = configuration.install.get(name)
    if (install !== undefined) attributes['install'] = install
    attributes['loadAtBoot'] = configuration.loadAtBoot.has(name)
    return { key: `kernel-module:${name}`, attributes }
  })
}

function readModuleConfiguration(
  target: Target,
  problems: CollectionProblem[],
): ModuleConfiguration {
  const configuration = emptyModuleConfiguration()
  for (const path of dropInFiles(target, MODPROBE_DIRECTORIES)) {
    const text = readConfigText(target, path, problems)
    if (text === undefined) continue
    applyModprobeFile(configLines(text, path, problems), path, configuration, problems)
  }
  for (const path of [...dropInFiles(target, MODULES_LOAD_DIRECTORIES), ETC_MODULES]) {
    const text = readConfigText(target, path, problems)
    if (text === undefined) continue
    applyModulesLoadFile(configLines(text, path, problems), path, configuration, problems)
  }
  return configuration
}

/** Undefined when it cannot be known; empty for a kernel built without loadable modules. */
function readLoadedModules(target: Target, problems: CollectionProblem[]): Set<string> | undefined {
  const before = problems.length
  const text = readConfigText(target, PROC_MODULES, problems)
  if (text !== undefined) {
    return loadedModules(configLines(text, PROC_MODULES, problems), PROC_MODULES, problems)
  }
  if (problems.length > before) return undefined
  if (target.entryType('/proc/self') !== undefined) {
    // /proc is there but /proc/modules is not: the kernel cannot load modules at all.
    return new Set()
  }
  problems.push({
    path: PROC_MODULES,
    reason: 'unavailable',
    detail: '/proc is not mounted: which modules are loaded is not recorded',
  })
  return undefined
}
