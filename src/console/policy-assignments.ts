// Which policies judge which nodes: each loaded policy is assigned to every node, or to the nodes
// carrying one of its tags (`serve --policy kvm-host@hypervisor`). A node's collection spec is the
// integrity rules plus what its policies read, so an agent collects nothing no policy needs.
import { mergeFileRules, type FileRules } from '../collect/index.js'
import { collectionSpecFor, elementsRead, type Policy } from '../policy/index.js'
import { policiesReadFrom } from './node-evaluation.js'

export interface PolicyAssignment {
  readonly policy: Policy
  /** Node tags the policy is assigned to; empty: every node. */
  readonly tags: readonly string[]
}

export interface NodePolicies {
  readonly policies: readonly Policy[]
  /** What the node's agent collects. */
  readonly spec: FileRules
  /** Whether a changed element can change one of the node's verdicts. */
  readonly reads: (key: string) => boolean
}

/** `debian-baseline`, `kvm-host@hypervisor`, `site.yaml@web,db` → the name and its tags. */
export function parseAssignment(text: string): { name: string; tags: string[] } {
  const at = text.lastIndexOf('@')
  if (at <= 0) return { name: text, tags: [] }
  const tags = text
    .slice(at + 1)
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '')
  return { name: text.slice(0, at), tags }
}

/** The element kinds a hypervisor's inventory holds (docs/elements-hypervisor.md). */
const HYPERVISOR_KINDS = ['vm:', 'vm-config:', 'vmm:', 'vnet:', 'vpool:'] as const

function readsHypervisorElements(policy: Policy): boolean {
  const read = elementsRead([policy])
  return HYPERVISOR_KINDS.some((kind) => read.wantsAny(kind))
}

export class AssignedPolicies {
  private readonly byTags = new Map<string, NodePolicies>()
  /** The policies that read hypervisor elements, found once: every evaluation asks. */
  private readonly forHypervisors: ReadonlySet<Policy>

  constructor(
    readonly assignments: readonly PolicyAssignment[],
    private readonly integrityRules: FileRules,
  ) {
    this.forHypervisors = new Set(
      assignments.map((a) => a.policy).filter((policy) => readsHypervisorElements(policy)),
    )
  }

  /** Every loaded policy, whatever it is assigned to. */
  all(): Policy[] {
    return this.assignments.map((assignment) => assignment.policy)
  }

  /**
   * The policies that judge a node with these tags. An agentless node (a hypervisor the console
   * inventories, and its VMs) is judged only by policies that read what a hypervisor reports:
   * an accounts policy over a VM seen from outside would pass for want of accounts to read.
   */
  forNode(tags: readonly string[], agentless = false): NodePolicies {
    const policies = this.assignments
      .filter((a) => a.tags.length === 0 || a.tags.some((tag) => tags.includes(tag)))
      .map((a) => a.policy)
      .filter((policy) => !agentless || this.forHypervisors.has(policy))
    const cacheKey = policies.map((policy) => policy.id).join('\n')
    let found = this.byTags.get(cacheKey)
    if (found === undefined) {
      const policySpec = collectionSpecFor(policies)
      found = {
        policies,
        spec: mergeFileRules(this.integrityRules, policySpec),
        reads: policiesReadFrom(policySpec),
      }
      this.byTags.set(cacheKey, found)
    }
    return found
  }
}
