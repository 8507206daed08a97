// `driftwatch assess`: collect what the policies need from a Target, then evaluate every test —
// with applicability, waivers and remediation deadlines.
import { LocalCommandRunner, SnapshotCollector, type CommandRunner } from '../collect/index.js'
import { hostname as osHostname } from 'node:os'
import { basename } from 'node:path'
import { deserializeElement, escapeRawPath, type Element } from '../model/index.js'
import {
  assess,
  collectionSpecFor,
  elementsRead,
  loadWaiversModule,
  resolvePolicies,
  type Assessment,
  type Deadlines,
} from '../policy/index.js'
import { SqliteLocalStore } from '../store/index.js'
import type { Target } from '../target/index.js'

export interface AssessOptions {
  readonly target: Target
  /** Shipped policy ids or policy files; every shipped policy when empty. */
  readonly policies: readonly string[]
  readonly waiversFile?: string | undefined
  readonly deadlines: Deadlines
  readonly tags?: readonly string[]
  /** A database that remembers when each failure was first seen, so deadlines run from then. */
  readonly db?: string | undefined
  readonly commands?: CommandRunner | undefined
  readonly now?: Date
}

export interface SystemAssessment extends Assessment {
  readonly node: string
  readonly target: string
  readonly policies: readonly { id: string; version: string; title: string; tests: number }[]
  readonly seconds: number
  /** What was not checked: files a collector could not read, VMs a hypervisor could not give. */
  readonly notChecked: readonly {
    readonly path: string
    readonly reason: string
    readonly detail: string
  }[]
}

/**
 * @example await assessSystem({ target: openTarget({}), policies: ['debian-baseline'], deadlines })
 */
export async function assessSystem(options: AssessOptions): Promise<SystemAssessment> {
  const started = performance.now()
  const policies = await resolvePolicies(options.policies)
  const waivers =
    options.waiversFile === undefined
      ? []
      : (await loadWaiversModule()).loadWaivers(options.waiversFile)
  const collector = new SnapshotCollector(options.target, collectionSpecFor(policies), {
    commands: options.commands ?? new LocalCommandRunner(),
    // A policy hashes only the files whose content it keeps (a few dozen, each at most the
    // content limit): the main thread reads them sooner than a hash worker would start (~50 ms).
    threads: 1,
    // Only what the checks read (and the hostname the node is named by): the same verdicts as
    // collecting everything, without reading 1,300 sysctls to judge 40.
    selection: elementsRead(policies, ['os:hostname']),
  })
  const elements = new Map<string, Element>()
  const snapshot = await collector.collect((element) =>
    elements.set(element.key, deserializeElement(element)),
  )
  const hostname = elements.get('os:hostname')?.attributes['hostname']
  // The node is named as waivers name it: its hostname, else the folder that holds it.
  const node =
    typeof hostname === 'string'
      ? hostname
      : options.target.live
        ? osHostname()
        : basename(escapeRawPath(options.target.rawRoot))
  const now = options.now ?? new Date()
  const store =
    options.db === undefined ? undefined : SqliteLocalStore.open(options.db, { create: true })
  let assessment
  try {
    assessment = assess({
      policies,
      elements,
      node: {
        name: node,
        kind: options.target.live ? 'host' : 'image',
        tags: options.tags ?? [],
        live: options.target.live,
      },
      waivers,
      deadlines: options.deadlines,
      now,
      ...(store === undefined ? {} : { firstFailed: store.firstFailures(node) }),
    })
    store?.recordFailures(
      node,
      assessment.results
        .filter((result) => result.status === 'fail')
        .map((result) => `${result.policy}/${result.test}`),
      now.toISOString(),
    )
  } finally {
    store?.close()
  }
  return {
    ...assessment,
    node,
    target: options.target.description,
    policies: policies.map((policy) => ({
      id: policy.id,
      version: policy.version,
      title: policy.title,
      tests: policy.tests.length,
    })),
    seconds: (performance.now() - started) / 1000,
    // A file a policy may read but this system lacks is no gap: the checks judge its absence.
    notChecked: snapshot.notChecked.filter((item) => item.reason !== 'rule-path-missing'),
  }
}
