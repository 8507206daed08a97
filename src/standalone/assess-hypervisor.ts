// `driftwatch assess --hypervisor`: read a hypervisor's inventory (its own settings and every VM
// it reports) and evaluate policies over it as one node of kind `hypervisor`. Loaded only for
// --hypervisor, so `assess` of a host never loads the connectors.
import {
  inventoryElements,
  openHypervisorConnector,
  type HypervisorInventory,
} from '../hypervisor/index.js'
import type { Element } from '../model/index.js'
import { assess, loadWaiversModule, resolvePolicies, type Deadlines } from '../policy/index.js'
import { SqliteLocalStore } from '../store/index.js'
import type { SystemAssessment } from './assess-system.js'

/** The shipped policies written for hypervisor inventories: the default of `assess --hypervisor`. */
export const HYPERVISOR_POLICIES: readonly string[] = ['vm-config', 'vsphere-host']

export interface HypervisorAssessOptions {
  /** `libvirt:<URI>` or `vsphere:<URL>`, as `snapshot --hypervisor` takes it. */
  readonly hypervisor: string
  /** Shipped policy ids or policy files; {@link HYPERVISOR_POLICIES} when empty. */
  readonly policies: readonly string[]
  readonly waiversFile?: string | undefined
  readonly deadlines: Deadlines
  readonly tags?: readonly string[]
  readonly db?: string | undefined
  /** The connectors' environment: vSphere credentials, virsh's HOME and SSH agent. */
  readonly env?: NodeJS.ProcessEnv
  readonly now?: Date
}

/**
 * @example await assessHypervisor({ hypervisor: 'libvirt:qemu:///system', policies: [], deadlines })
 */
export async function assessHypervisor(
  options: HypervisorAssessOptions,
): Promise<SystemAssessment> {
  const started = performance.now()
  // Policies and waivers first: a mistake in them is reported before any hypervisor is reached.
  const policies = await resolvePolicies(
    options.policies.length === 0 ? HYPERVISOR_POLICIES : options.policies,
  )
  const waivers =
    options.waiversFile === undefined
      ? []
      : (await loadWaiversModule()).loadWaivers(options.waiversFile)
  const inventory = await readInventory(options.hypervisor, options.env ?? {})
  const elements = new Map<string, Element>(
    inventoryElements(inventory).map((element) => [element.key, element]),
  )
  // Named as the hypervisor reports itself, as the console names a hypervisor's node.
  const node = inventory.hostname
  const now = options.now ?? new Date()
  const store =
    options.db === undefined ? undefined : SqliteLocalStore.open(options.db, { create: true })
  let assessment
  try {
    assessment = assess({
      policies,
      elements,
      node: { name: node, kind: 'hypervisor', tags: options.tags ?? [], live: true },
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
    target: `${inventory.kind}:${inventory.uri}`,
    policies: policies.map((policy) => ({
      id: policy.id,
      version: policy.version,
      title: policy.title,
      tests: policy.tests.length,
    })),
    seconds: (performance.now() - started) / 1000,
    // A VM that vanished, was renamed mid-scan or could not be read is judged on what was read
    // of it, or not at all: the report says so.
    notChecked: inventory.problems.map((problem) => ({
      path: problem.place,
      reason: problem.reason,
      detail: problem.detail,
    })),
  }
}

async function readInventory(spec: string, env: NodeJS.ProcessEnv): Promise<HypervisorInventory> {
  const connector = openHypervisorConnector(spec, { env })
  try {
    return await connector.inventory()
  } finally {
    await connector.close()
  }
}
