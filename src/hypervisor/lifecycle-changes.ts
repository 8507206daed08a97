// Lifecycle as change (Step 7 of DESIGN.md's seven): what happened to each VM between two
// inventories of one hypervisor — created, deleted, started, stopped, paused, resumed,
// reconfigured, renamed — with before → after. VMs are matched by UUID, so a rename is a rename,
// not a deletion and a creation. Pure: the caller stores, reconciles and alerts.
import type { AttributeValue, Element } from '../model/index.js'
import type {
  HypervisorInventory,
  LifecycleVerb,
  VmRecord,
  VmState,
} from './hypervisor-connector.js'

export interface LifecycleChange {
  readonly verb: LifecycleVerb
  readonly vmUuid: string
  /** The name it has now; its last known name when it was deleted. */
  readonly vmName: string
  /**
   * What it was and what it is, in the verb's terms: states for started/stopped/paused/resumed,
   * names for renamed, `name=value` of each changed setting for reconfigured, null for the side
   * where the VM did not exist.
   */
  readonly before: string | null
  readonly after: string | null
}

/** States in which a VM runs guest code (or is about to). */
const ACTIVE: ReadonlySet<VmState> = new Set(['running', 'blocked'])
const HELD: ReadonlySet<VmState> = new Set(['paused', 'suspended'])

/**
 * @example
 * lifecycleChanges(monday, tuesday)
 * // [{ verb: 'started', vmUuid: '…', vmName: 'web-01', before: 'shutoff', after: 'running' }]
 */
export function lifecycleChanges(
  before: HypervisorInventory,
  after: HypervisorInventory,
): LifecycleChange[] {
  const earlier = new Map(before.vms.map((vm) => [vm.uuid, vm]))
  const later = new Map(after.vms.map((vm) => [vm.uuid, vm]))
  const unreadBefore = namedByProblems(before)
  const unreadAfter = namedByProblems(after)
  const changes: LifecycleChange[] = []
  for (const vm of after.vms) {
    const previous = earlier.get(vm.uuid)
    if (previous === undefined) {
      // Not read last time is not "did not exist": no creation is claimed for it.
      if (!unreadBefore.has(vm.uuid)) changes.push(change('created', vm, null, vm.state))
      continue
    }
    if (previous.name !== vm.name) changes.push(change('renamed', vm, previous.name, vm.name))
    const verb = stateVerb(previous.state, vm.state)
    if (verb !== undefined) changes.push(change(verb, vm, previous.state, vm.state))
    const settings = changedSettings(previous, vm)
    if (settings !== undefined)
      changes.push(change('reconfigured', vm, settings.before, settings.after))
  }
  // Deleted only when the later list was whole and did not fail on this VM.
  if (after.complete) {
    for (const vm of before.vms) {
      if (!later.has(vm.uuid) && !unreadAfter.has(vm.uuid)) {
        changes.push(change('deleted', vm, vm.state, null))
      }
    }
  }
  return changes.sort(
    (a, b) =>
      compare(a.vmName, b.vmName) ||
      compare(a.vmUuid, b.vmUuid) ||
      VERB_ORDER.indexOf(a.verb) - VERB_ORDER.indexOf(b.verb),
  )
}

const VERB_ORDER: readonly LifecycleVerb[] = [
  'created',
  'renamed',
  'reconfigured',
  'started',
  'resumed',
  'paused',
  'stopped',
  'deleted',
]

function change(
  verb: LifecycleVerb,
  vm: VmRecord,
  before: string | null,
  after: string | null,
): LifecycleChange {
  return { verb, vmUuid: vm.uuid, vmName: vm.name, before, after }
}

function namedByProblems(inventory: HypervisorInventory): Set<string> {
  return new Set(
    inventory.problems.flatMap((problem) => (problem.vmUuid === undefined ? [] : [problem.vmUuid])),
  )
}

/** The verb for a change of power state; none when it did not change or is not known. */
function stateVerb(before: VmState, after: VmState): LifecycleVerb | undefined {
  if (before === after || before === 'unknown' || after === 'unknown') return undefined
  if (ACTIVE.has(after))
    return HELD.has(before) ? 'resumed' : ACTIVE.has(before) ? undefined : 'started'
  if (HELD.has(after)) return ACTIVE.has(before) ? 'paused' : undefined
  // shutoff or crashed
  return ACTIVE.has(before) || HELD.has(before) ? 'stopped' : undefined
}

/**
 * Attributes that are the VM's state, reported by the state verbs, not as reconfiguration:
 * `state` in one vocabulary, and vSphere's own `powerState` beside it.
 */
const STATE_ATTRIBUTES: ReadonlySet<string> = new Set(['state', 'powerState'])

/**
 * The settings that differ between two readings of one VM: every attribute of its elements
 * (matched by kind, so `vm:old-name` meets `vm:new-name`) but its state, and each element's
 * content. Attributes unverified on either side are not compared.
 */
function changedSettings(
  before: VmRecord,
  after: VmRecord,
): { before: string; after: string } | undefined {
  const earlier = new Map(before.elements.map((element) => [elementSlot(element, before), element]))
  const was: string[] = []
  const is: string[] = []
  for (const element of after.elements) {
    const previous = earlier.get(elementSlot(element, after))
    if (previous === undefined) continue
    const skipped = new Set([...(previous.unverified ?? []), ...(element.unverified ?? [])])
    // A definition holds the VM's name: after a rename alone its digest differs, yet nothing but
    // the name (reported as renamed) changed.
    if (renamedOnly(previous, element, before.name, after.name)) skipped.add('sha256')
    const names = new Set([...Object.keys(previous.attributes), ...Object.keys(element.attributes)])
    for (const name of [...names].sort()) {
      if (STATE_ATTRIBUTES.has(name) || skipped.has(name)) continue
      const old = previous.attributes[name]
      const now = element.attributes[name]
      if ((old ?? null) === (now ?? null)) continue
      was.push(`${name}=${formatValue(old)}`)
      is.push(`${name}=${formatValue(now)}`)
    }
  }
  return was.length === 0 ? undefined : { before: was.join(', '), after: is.join(', ') }
}

function renamedOnly(
  previous: Element,
  element: Element,
  oldName: string,
  newName: string,
): boolean {
  if (oldName === newName || previous.content === undefined || element.content === undefined) {
    return false
  }
  return previous.content.split(oldName).join(newName) === element.content
}

/** `vm:` for `vm:<its name>`, so the same element meets itself across a rename. */
function elementSlot(element: Element, vm: VmRecord): string {
  const colon = element.key.indexOf(':')
  return element.key.slice(colon + 1) === vm.name ? element.key.slice(0, colon + 1) : element.key
}

function formatValue(value: AttributeValue | undefined): string {
  if (value === undefined) return '(absent)'
  if (value === null) return '(none)'
  return String(value)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
