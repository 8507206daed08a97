// One libvirt domain as a VmRecord: `vm:<name>` with its state and settings as flat attributes,
// `vm-config:<uuid>` with its (redacted) definition as content. A definition that cannot be read
// still gives a record — state and list facts are known — with the settings marked unverified,
// so a baseline comparison neither loses the VM nor reports its settings as changed. Snapshots,
// listed apart from the definition, are read or marked unverified on their own.
import type { Attributes, Element } from '../../model/index.js'
import type { HypervisorProblem, VmRecord, VmState } from '../hypervisor-connector.js'
import { contentSha256, redactedConfig } from './config-content.js'
import { readDomainSettings, type DomainSettings } from './domain-settings.js'
import { LibvirtXmlError } from './libvirt-xml.js'

/** What the lists and `dumpxml` said about one domain. */
export interface DomainFacts {
  readonly uuid: string
  /** The name in `list --all --uuid --name`. */
  readonly listedName: string
  readonly state: VmState
  readonly autostart: boolean
  readonly persistent: boolean
  /** `dumpxml --inactive --security-info`: the definition the domain boots with next. */
  readonly xml: string
  /**
   * When each of its snapshots was taken (ISO 8601): [] when `list --without-snapshot` names it,
   * else from its `snapshot-list`; undefined when virsh could not list them.
   */
  readonly snapshotTimes: readonly string[] | undefined
  /** Why they could not be listed, for the problem that says so. */
  readonly snapshotFailure?: string
}

/** The attributes read from the definition, in the order `vm:` elements list them. */
export const VM_SETTING_ATTRIBUTES = [
  'type',
  'os_type',
  'arch',
  'vcpus',
  'vcpus_current',
  'memory_kib',
  'current_memory_kib',
  'disk_count',
  'disks',
  'nic_count',
  'nics',
  'graphics',
  'graphics_listen',
  'graphics_password',
  'seclabel',
  'hostdev_count',
  'hostdevs',
] as const

/** The attributes read from the domain's snapshot list: how many, and when the oldest was taken. */
export const VM_SNAPSHOT_ATTRIBUTES = ['snapshots', 'snapshotOldest'] as const

/**
 * @example vmRecord({ uuid, listedName: 'web-01', state: 'running', … , xml }).record.elements
 */
export function vmRecord(facts: DomainFacts): { record: VmRecord; problems: HypervisorProblem[] } {
  if (facts.xml.trim() === '') return unreadableDefinition(facts, undefined, 'virsh gave none')
  const content = redactedConfig(facts.xml)
  const config: Element = {
    key: `vm-config:${facts.uuid}`,
    attributes: { sha256: contentSha256(content) },
    content,
  }
  let settings: DomainSettings
  try {
    settings = readDomainSettings(facts.xml)
    if (settings.uuid !== facts.uuid) {
      throw new LibvirtXmlError(`its XML has UUID ${settings.uuid}, the list ${facts.uuid}`)
    }
  } catch (error) {
    if (!(error instanceof LibvirtXmlError)) throw error
    return unreadableDefinition(facts, config, error.message)
  }
  const snapshots = snapshotAttributes(facts, settings.name)
  const problems: HypervisorProblem[] = [...snapshots.problems]
  // Renamed between the list and dumpxml: the definition is the later and whole reading, so its
  // name keys the VM; the UUID ties it to what was seen before.
  if (settings.name !== facts.listedName) {
    problems.push({
      place: `domain:${settings.name}`,
      reason: 'renamed',
      detail: `listed as '${facts.listedName}', named '${settings.name}' when its definition was read (UUID ${facts.uuid})`,
      vmUuid: facts.uuid,
    })
  }
  const attributes: Attributes = {
    ...listAttributes(facts),
    type: settings.type,
    os_type: settings.osType,
    arch: settings.arch,
    vcpus: settings.vcpus,
    vcpus_current: settings.vcpusCurrent,
    memory_kib: settings.memoryKib,
    current_memory_kib: settings.currentMemoryKib,
    disk_count: settings.disks.length,
    disks: settings.disks.join(','),
    nic_count: settings.nics.length,
    nics: settings.nics.join(','),
    graphics: settings.graphics.join(','),
    graphics_listen: settings.graphicsListen.join(','),
    graphics_password: settings.graphicsPassword,
    seclabel: settings.seclabels.join(','),
    hostdev_count: settings.hostdevs.length,
    hostdevs: settings.hostdevs.join(','),
    ...snapshots.attributes,
  }
  const vm: Element = {
    key: `vm:${settings.name}`,
    attributes,
    ...(snapshots.unverified.length === 0 ? {} : { unverified: snapshots.unverified }),
  }
  return {
    record: {
      uuid: facts.uuid,
      name: settings.name,
      state: facts.state,
      macs: settings.macs,
      elements: [vm, config],
    },
    problems,
  }
}

function listAttributes(facts: DomainFacts): Attributes {
  return {
    uuid: facts.uuid,
    state: facts.state,
    autostart: facts.autostart,
    persistent: facts.persistent,
  }
}

/**
 * `snapshots` and `snapshotOldest` (null when there are none), the names of the policy that judges
 * them on every hypervisor. A list virsh could not give makes both unverified and a problem: it is
 * never taken as "no snapshots", which would pass the policy and hide a snapshot kept for months.
 */
function snapshotAttributes(
  facts: DomainFacts,
  name: string,
): { attributes: Attributes; unverified: string[]; problems: HypervisorProblem[] } {
  if (facts.snapshotTimes !== undefined) {
    const oldest = [...facts.snapshotTimes].sort()[0] ?? null
    return {
      attributes: { snapshots: facts.snapshotTimes.length, snapshotOldest: oldest },
      unverified: [],
      problems: [],
    }
  }
  return {
    attributes: { snapshots: null, snapshotOldest: null },
    unverified: [...VM_SNAPSHOT_ATTRIBUTES],
    problems: [
      {
        place: `domain:${name}`,
        reason: 'unreadable',
        detail: `its snapshots could not be listed (${facts.snapshotFailure ?? 'virsh gave no list'}); their number and age are not checked this time`,
        vmUuid: facts.uuid,
      },
    ],
  }
}

/** `config` undefined: there was no definition at all, so its digest is unverified too. */
function unreadableDefinition(
  facts: DomainFacts,
  config: Element | undefined,
  reason: string,
): { record: VmRecord; problems: HypervisorProblem[] } {
  const unknown: Record<string, null> = {}
  for (const name of VM_SETTING_ATTRIBUTES) unknown[name] = null
  const snapshots = snapshotAttributes(facts, facts.listedName)
  return {
    record: {
      uuid: facts.uuid,
      name: facts.listedName,
      state: facts.state,
      macs: [],
      elements: [
        {
          key: `vm:${facts.listedName}`,
          attributes: { ...listAttributes(facts), ...unknown, ...snapshots.attributes },
          unverified: [...VM_SETTING_ATTRIBUTES, ...snapshots.unverified],
        },
        config ?? {
          key: `vm-config:${facts.uuid}`,
          attributes: { sha256: null },
          unverified: ['sha256'],
        },
      ],
    },
    problems: [
      {
        place: `domain:${facts.listedName}`,
        reason: config === undefined ? 'unreadable' : 'malformed',
        detail: `its definition could not be read (${reason}); its settings are not checked this time`,
        vmUuid: facts.uuid,
      },
      ...snapshots.problems,
    ],
  }
}
