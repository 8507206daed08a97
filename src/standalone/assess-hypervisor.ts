// `driftwatch assess --hypervisor`: read a hypervisor's inventory (its own settings and every VM
// it reports) and evaluate policies over it as one node of kind `hypervisor`. Loaded only for
// --hypervisor, so `assess` of a host never loads the connectors.
import {
  inventoryElements,
  inventoryNotChecked,
  readHypervisorInventory,
} from '../hypervisor/index.js'
import type { Element } from '../model/index.js'
import { loadWaiversModule, resolvePolicies, type Deadlines } from '../policy/index.js'
import { judgeNode, policySummaries, type SystemAssessment } from './assess-system.js'

/** The shipped policies written for hypervisor inventories: the default of `assess --hypervisor`. */
const HYPERVISOR_POLICIES: readonly string[] = ['vm-config', 'vsphere-host']

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
  const inventory = await readHypervisorInventory(options.hypervisor, { env: options.env ?? {} })
  const elements = new Map<string, Element>(
    inventoryElements(inventory).map((element) => [element.key, element]),
  )
  // Named as the hypervisor reports itself, as the console names a hypervisor's node.
  const assessment = judgeNode({
    policies,
    elements,
    node: { name: inventory.hostname, kind: 'hypervisor', tags: options.tags ?? [], live: true },
    waivers,
    deadlines: options.deadlines,
    now: options.now ?? new Date(),
    db: options.db,
  })
  return {
    ...assessment,
    node: inventory.hostname,
    target: `${inventory.kind}:${inventory.uri}`,
    policies: policySummaries(policies),
    seconds: (performance.now() - started) / 1000,
    notChecked: inventoryNotChecked(inventory),
  }
}
