// The kernel collector: sysctl settings, kernel modules and mounts as configured anywhere, and on
// a live host as the running kernel has them, plus the running kernel's release.
import type { Element } from '../../../model/index.js'
import type { Target } from '../../../target/index.js'
import { configLines, readConfigText, type ConfigLine } from '../config-text.js'
import type { CollectionProblem, SystemCollector } from '../system-collector.js'
import { fstabElements } from './fstab.js'
import { kernelModuleElements } from './kernel-modules.js'
import { readLiveSysctl } from './live-sysctl.js'
import { mountElements } from './mounts.js'
import { readSysctlConfiguration } from './sysctl-config.js'
import { sysctlElements } from './sysctl-elements.js'

const FSTAB = '/etc/fstab'
const PROC_MOUNTS = '/proc/self/mounts'

/**
 * `sysctl:`, `kernel-module:`, `fstab:`, `mount:` and `os:kernel` elements (docs/elements.md).
 *
 * @example kernelCollector.collect({ target: openTarget({}), commands: new LocalCommandRunner() })
 */
export const kernelCollector: SystemCollector = {
  name: 'kernel',
  collect({ target, selection }) {
    const problems: CollectionProblem[] = []
    // What nobody reads is not read (an assessment's selection); sysctls by name when it can.
    const wanted = (prefix: string): boolean => selection?.wantsAny(prefix) ?? true
    const elements: Element[] = []
    if (wanted('sysctl:')) {
      const configuration = readSysctlConfiguration(target, problems)
      const only = selection?.keysUnder('sysctl:')
      const live = target.live ? readLiveSysctl(target, problems, undefined, only) : undefined
      elements.push(...sysctlElements(configuration, live))
    }
    if (wanted('kernel-module:')) elements.push(...kernelModuleElements(target, problems))
    if (wanted('fstab:')) elements.push(...fileElements(target, FSTAB, fstabElements, problems))
    if (target.live) {
      if (wanted('mount:')) {
        elements.push(...fileElements(target, PROC_MOUNTS, mountElements, problems))
      }
      const kernel = wanted('os:kernel') ? runningKernel(target, problems) : undefined
      if (kernel !== undefined) elements.push(kernel)
    }
    return { elements, problems }
  },
}

function fileElements(
  target: Target,
  path: string,
  parse: (lines: readonly ConfigLine[], path: string, problems: CollectionProblem[]) => Element[],
  problems: CollectionProblem[],
): Element[] {
  const text = readConfigText(target, path, problems)
  return text === undefined ? [] : parse(configLines(text, path, problems), path, problems)
}

function runningKernel(target: Target, problems: CollectionProblem[]): Element | undefined {
  const release = readConfigText(target, '/proc/sys/kernel/osrelease', problems)?.trim()
  const version = readConfigText(target, '/proc/sys/kernel/version', problems)?.trim()
  if (release === undefined || version === undefined) return undefined
  return { key: 'os:kernel', attributes: { release, version } }
}
