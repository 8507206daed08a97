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
  type NodeFacts,
  type Policy,
  type Waiver,
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
  const assessment = judgeNode({
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
    now: options.now ?? new Date(),
    db: options.db,
  })
  return {
    ...assessment,
    node,
    target: options.target.description,
    policies: policySummaries(policies),
    seconds: (performance.now() - started) / 1000,
    // A file a policy may read but this system lacks is no gap: the checks judge its absence.
    notChecked: snapshot.notChecked.filter((item) => item.reason !== 'rule-path-missing'),
  }
}

/**
 * Evaluates the elements as one node; with a local database, deadlines run from when each
 * failure was first recorded there, and this run's failures are recorded.
 */
export function judgeNode(input: {
  readonly policies: readonly Policy[]
  readonly elements: ReadonlyMap<string, Element>
  readonly node: NodeFacts & { readonly name: string }
  readonly waivers: readonly Waiver[]
  readonly deadlines: Deadlines
  readonly now: Date
  readonly db?: string | undefined
}): Assessment {
  const { node, now } = input
  const store =
    input.db === undefined ? undefined : SqliteLocalStore.open(input.db, { create: true })
  try {
    const assessment = assess({
      policies: input.policies,
      elements: input.elements,
      node,
      waivers: input.waivers,
      deadlines: input.deadlines,
      now,
      ...(store === undefined ? {} : { firstFailed: store.firstFailures(node.name) }),
    })
    store?.recordFailures(
      node.name,
      assessment.results
        .filter((result) => result.status === 'fail')
        .map((result) => `${result.policy}/${result.test}`),
      now.toISOString(),
    )
    return assessment
  } finally {
    store?.close()
  }
}

/** What the report says of each policy it applied. */
export function policySummaries(policies: readonly Policy[]): SystemAssessment['policies'] {
  return policies.map((policy) => ({
    id: policy.id,
    version: policy.version,
    title: policy.title,
    tests: policy.tests.length,
  }))
}
