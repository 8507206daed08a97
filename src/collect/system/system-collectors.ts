// Runs the chosen system collectors, each on its own: one that fails becomes a problem, and
// its elements are then neither trusted nor reported as removed.
import type { Element } from '../../model/index.js'
import { accountsCollector } from './accounts/index.js'
import { kernelCollector } from './kernel/index.js'
import { networkCollector } from './network/index.js'
import { osCollector } from './os/index.js'
import { packagesCollector } from './packages/index.js'
import { scheduledCollector } from './scheduled/index.js'
import { servicesCollector } from './services/index.js'
import type {
  CollectionProblem,
  CollectorContext,
  SystemCollector,
  SystemCollectorName,
} from './system-collector.js'

const COLLECTORS: Readonly<Record<SystemCollectorName, SystemCollector>> = {
  accounts: accountsCollector,
  packages: packagesCollector,
  services: servicesCollector,
  network: networkCollector,
  kernel: kernelCollector,
  scheduled: scheduledCollector,
  os: osCollector,
}

export interface SystemCollection {
  readonly elements: Element[]
  readonly problems: CollectionProblem[]
  /** Collectors that failed as a whole: nothing can be said about their elements. */
  readonly failed: SystemCollectorName[]
  /** Key prefixes under which nothing can be said this time: failed collectors, unread sources. */
  readonly unknownKeyPrefixes: string[]
  /** Milliseconds each collector took. */
  readonly timings: Partial<Record<SystemCollectorName, number>>
}

/**
 * @example collectSystem(['accounts', 'kernel'], { target, commands: new LocalCommandRunner() })
 */
export function collectSystem(
  names: readonly SystemCollectorName[],
  context: CollectorContext,
): SystemCollection {
  const collection: SystemCollection = {
    elements: [],
    problems: [],
    failed: [],
    unknownKeyPrefixes: [],
    timings: {},
  }
  const seen = new Set<string>()
  for (const name of names) {
    const started = performance.now()
    try {
      const output = COLLECTORS[name].collect(context)
      for (const element of output.elements) {
        // Two sources naming one element (a bug or a hostile duplicate) must not abort a check.
        if (seen.has(element.key)) {
          collection.problems.push({
            path: element.key,
            reason: 'malformed',
            detail: 'reported twice; first kept',
          })
          continue
        }
        seen.add(element.key)
        collection.elements.push(element)
      }
      collection.problems.push(...output.problems)
      collection.unknownKeyPrefixes.push(...(output.unknown ?? []))
    } catch (error) {
      collection.failed.push(name)
      collection.unknownKeyPrefixes.push(...ELEMENT_KEY_PREFIXES[name])
      collection.problems.push({
        path: `collector:${name}`,
        reason: 'collector-failed',
        detail: (error as Error).message,
      })
    }
    collection.timings[name] = performance.now() - started
  }
  return collection
}

/** The key prefixes of the elements each collector produces. */
export const ELEMENT_KEY_PREFIXES: Readonly<Record<SystemCollectorName, readonly string[]>> = {
  accounts: [
    'user:',
    'group:',
    'ssh-key:',
    'sudo-rule:',
    'sudo-defaults:',
    'sudo-alias:',
    'privileged:',
  ],
  packages: ['package:'],
  services: ['service:'],
  network: ['port:', 'interface:', 'dns:', 'hosts-entry:'],
  kernel: ['sysctl:', 'kernel-module:', 'fstab:', 'mount:', 'os:kernel'],
  scheduled: ['cron:', 'timer:'],
  os: ['os:release', 'os:hostname'],
}
