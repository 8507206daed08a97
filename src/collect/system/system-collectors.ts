// Runs the chosen system collectors, each on its own: one that fails becomes a problem, and
// its elements are then neither trusted nor reported as removed.
import type { Element } from '../../model/index.js'
import type { Target } from '../../target/index.js'
import type {
  CollectionProblem,
  CollectorContext,
  SystemCollector,
  SystemCollectorName,
} from './system-collector.js'

interface CollectorModule {
  readonly load: () => Promise<SystemCollector>
  /**
   * Paths any of which must exist for the collector to find anything. A data folder or an
   * application tree has none, and then the collector is not even loaded: loading all of them
   * costs ~40 ms, a tenth of a small check.
   */
  readonly inputs: readonly string[]
  /** Finds something on every live host (it reads /proc). */
  readonly live: boolean
}

const UNIT_DIRECTORIES = ['/etc/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system']

const COLLECTORS: Readonly<Record<SystemCollectorName, CollectorModule>> = {
  accounts: {
    load: async () => (await import('./accounts/index.js')).accountsCollector,
    inputs: ['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/sudoers'],
    live: false,
  },
  packages: {
    load: async () => (await import('./packages/index.js')).packagesCollector,
    inputs: ['/var/lib/dpkg/status', '/var/lib/rpm', '/usr/lib/sysimage/rpm'],
    live: false,
  },
  services: {
    load: async () => (await import('./services/index.js')).servicesCollector,
    inputs: UNIT_DIRECTORIES,
    live: false,
  },
  network: {
    load: async () => (await import('./network/index.js')).networkCollector,
    inputs: ['/etc/resolv.conf', '/etc/hosts'],
    live: true,
  },
  kernel: {
    load: async () => (await import('./kernel/index.js')).kernelCollector,
    inputs: [
      '/etc/sysctl.conf',
      '/etc/sysctl.d',
      '/usr/lib/sysctl.d',
      '/etc/modprobe.d',
      '/etc/fstab',
    ],
    live: true,
  },
  scheduled: {
    load: async () => (await import('./scheduled/index.js')).scheduledCollector,
    inputs: [
      '/etc/crontab',
      '/etc/cron.d',
      '/var/spool/cron',
      '/etc/anacrontab',
      ...UNIT_DIRECTORIES,
    ],
    live: false,
  },
  os: {
    load: async () => (await import('./os/index.js')).osCollector,
    inputs: ['/etc', '/usr/lib/os-release'],
    live: false,
  },
}

function hasInputs(module: CollectorModule, target: Target): boolean {
  if (module.live && target.live) return true
  return module.inputs.some((path) => {
    try {
      return target.entryType(path) !== undefined
    } catch {
      return true // cannot tell: let the collector look and report
    }
  })
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
 * @example await collectSystem(['accounts', 'kernel'], { target, commands: new LocalCommandRunner() })
 */
export async function collectSystem(
  names: readonly SystemCollectorName[],
  context: CollectorContext,
): Promise<SystemCollection> {
  const collection: SystemCollection = {
    elements: [],
    problems: [],
    failed: [],
    unknownKeyPrefixes: [],
    timings: {},
  }
  const seen = new Set<string>()
  const selection = context.selection
  // A collector none of whose elements is selected is not run (nor loaded).
  const chosen = names.filter(
    (name) =>
      hasInputs(COLLECTORS[name], context.target) &&
      (!selection || ELEMENT_KEY_PREFIXES[name].some((prefix) => selection.wantsAny(prefix))),
  )
  // Their modules are all asked for at once, so that reading their files overlaps.
  const loading = new Map(chosen.map((name) => [name, settled(COLLECTORS[name].load())]))
  for (const name of chosen) {
    const started = performance.now()
    try {
      const collector = await unsettled(loading.get(name) as Promise<Settled<SystemCollector>>)
      const output = collector.collect(context)
      for (const element of output.elements) {
        if (selection && !selection.wants(element.key)) continue
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

type Settled<T> = { readonly value: T } | { readonly error: unknown }

/** A promise that never rejects, so that loads waited for later are not unhandled rejections. */
function settled<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  )
}

async function unsettled<T>(promise: Promise<Settled<T>>): Promise<T> {
  const result = await promise
  if ('error' in result) throw result.error
  return result.value
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
