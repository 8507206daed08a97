// The libvirt connector: one inventory in three virsh processes — the host and every list, then
// every definition (and the snapshots of domains that have any), then every volume — whatever the
// number of domains (DESIGN.md: 1,000 domains must inventory quickly; one virsh per domain is what
// scripts do, and it is ~100 times slower).
import { DriftwatchError } from '../../errors/index.js'
import type { Element } from '../../model/index.js'
import type {
  HypervisorConnector,
  HypervisorEvent,
  HypervisorInventory,
  HypervisorProblem,
  VmRecord,
  VmState,
} from '../hypervisor-connector.js'
import { hostElements } from './host-elements.js'
import { LibvirtXmlError } from './libvirt-xml.js'
import { networkElement } from './network-elements.js'
import { poolElement, poolName, volumeElement } from './pool-elements.js'
import { virshCommand } from './virsh-command.js'
import {
  parseDomainState,
  parseSnapshotTimes,
  parseUuidNames,
  parseUuids,
  parseVolumePaths,
} from './virsh-output.js'
import { ExecVirshRunner, type VirshBatch, type VirshRunner } from './virsh-runner.js'
import { vmRecord } from './vm-record.js'

export interface LibvirtConnectorOptions {
  /** Any libvirt URI: `qemu:///system`, `qemu+ssh://user@host/system`, `test:///…`. */
  readonly uri: string
  /** How virsh is run; default: the virsh program, with `env` and `timeoutMs`. */
  readonly runner?: VirshRunner
  readonly env?: NodeJS.ProcessEnv
  readonly timeoutMs?: number
}

/** The first batch: the host, then every list (by UUID; names come from definitions). */
const OVERVIEW = {
  hostname: 'hostname',
  capabilities: 'capabilities',
  nodeinfo: 'nodeinfo',
  version: 'version --daemon',
  domains: 'list --all --uuid --name',
  running: 'list --all --uuid --state-running',
  paused: 'list --all --uuid --state-paused',
  shutoff: 'list --all --uuid --state-shutoff',
  autostartDomains: 'list --all --uuid --autostart',
  persistentDomains: 'list --all --uuid --persistent',
  // Most domains have no snapshot: one list says which, so only the others need a
  // `snapshot-list` each. A domain in neither list is asked, never taken as having none.
  domainsWithSnapshots: 'list --all --uuid --with-snapshot',
  domainsWithoutSnapshots: 'list --all --uuid --without-snapshot',
  networks: 'net-list --all --uuid',
  activeNetworks: 'net-list --uuid',
  autostartNetworks: 'net-list --all --uuid --autostart',
  persistentNetworks: 'net-list --all --uuid --persistent',
  pools: 'pool-list --all --uuid',
  activePools: 'pool-list --uuid',
  autostartPools: 'pool-list --all --uuid --autostart',
  persistentPools: 'pool-list --all --uuid --persistent',
} as const
type OverviewAnswers = Record<keyof typeof OVERVIEW, string>

/**
 * @example
 * const inventory = await new LibvirtConnector({ uri: 'qemu:///system' }).inventory()
 */
export class LibvirtConnector implements HypervisorConnector {
  readonly kind = 'libvirt'
  readonly uri: string
  readonly #virsh: VirshRunner

  constructor(options: LibvirtConnectorOptions) {
    this.#virsh =
      options.runner ??
      new ExecVirshRunner({
        uri: options.uri,
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      })
    this.uri = this.#virsh.uri
  }

  async inventory(signal?: AbortSignal): Promise<HypervisorInventory> {
    const takenAt = new Date().toISOString()
    const problems: HypervisorProblem[] = []
    const overview = await this.#overview(signal)
    const domains = parseUuidNames(overview.domains)
    const states = domainStates(overview)
    const networks = parseUuids(overview.networks)
    const pools = parseUuids(overview.pools)
    const activePools = new Set(parseUuids(overview.activePools))
    const needState = [...domains.keys()].filter((uuid) => !states.has(uuid))
    const withoutSnapshots = new Set(parseUuids(overview.domainsWithoutSnapshots))
    const needSnapshots = [...domains.keys()].filter((uuid) => !withoutSnapshots.has(uuid))

    const definitions = await this.#virsh.run(
      [
        ...[...domains.keys()].map((uuid) =>
          virshCommand('dumpxml', '--inactive', '--security-info', '--domain', uuid),
        ),
        ...needState.map((uuid) => virshCommand('domstate', '--domain', uuid)),
        // The table gives each snapshot's creation time: one command per domain, not per snapshot.
        ...needSnapshots.map((uuid) => virshCommand('snapshot-list', '--domain', uuid)),
        // Networks and pools as in effect now: their definitions change only when they restart,
        // and the test driver refuses `--inactive` for them.
        ...networks.map((uuid) => virshCommand('net-dumpxml', '--network', uuid)),
        ...pools.map((uuid) => virshCommand('pool-dumpxml', '--pool', uuid)),
        ...pools.map((uuid) =>
          activePools.has(uuid) ? virshCommand('vol-list', '--pool', uuid) : 'echo',
        ),
      ],
      signal,
    )
    const answers = new AnswerReader(definitions)
    const domainXml = answers.take(domains.size)
    const stateAnswers = answers.take(needState.length)
    needState.forEach((uuid, index) => {
      states.set(uuid, parseDomainState(stateAnswers[index] ?? ''))
    })
    const snapshotLists = new Map<string, string>()
    answers.take(needSnapshots.length).forEach((answer, index) => {
      snapshotLists.set(needSnapshots[index] ?? '', answer)
    })

    const vms = this.#vmRecords(
      domains,
      domainXml,
      { states, withoutSnapshots, snapshotLists },
      overview,
      definitions.errors,
      problems,
    )
    const elements = [
      ...this.#hostElements(overview, problems),
      ...this.#networkElements(networks, answers.take(networks.length), overview, problems),
      ...(await this.#poolElements(pools, answers, overview, definitions.errors, problems, signal)),
    ].sort(byKey)
    return {
      kind: 'libvirt',
      uri: this.uri,
      hostname: overview.hostname.trim(),
      takenAt,
      elements,
      vms: vms.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      problems,
      // The lists come whole from one `virsh list` or the whole inventory fails; a domain listed
      // but unreadable is named by its problem (vmUuid), so it is not taken as deleted.
      complete: true,
    }
  }

  /** libvirt keeps no history of who did what: there are no events to read. */
  events(): Promise<readonly HypervisorEvent[]> {
    return Promise.resolve([])
  }

  close(): Promise<void> {
    return Promise.resolve()
  }

  async #overview(signal?: AbortSignal): Promise<OverviewAnswers> {
    const names = Object.keys(OVERVIEW) as (keyof typeof OVERVIEW)[]
    const batch = await this.#virsh.run(
      names.map((name) => OVERVIEW[name]),
      signal,
    )
    const listFailure = /failed to list [a-z ]+/i.exec(batch.errors)
    if (listFailure !== null) {
      throw new DriftwatchError(
        'DW_ERR_HYPERVISOR_RESPONSE',
        `libvirt at ${this.uri}: ${listFailure[0]} (${batch.errors.trim().split('\n').join('; ')})`,
        { details: { uri: this.uri } },
      )
    }
    return Object.fromEntries(
      names.map((name, index) => [name, batch.outputs[index] ?? '']),
    ) as OverviewAnswers
  }

  #vmRecords(
    domains: ReadonlyMap<string, string>,
    domainXml: readonly string[],
    { states, withoutSnapshots, snapshotLists }: DomainAnswers,
    overview: OverviewAnswers,
    errors: string,
    problems: HypervisorProblem[],
  ): VmRecord[] {
    const autostart = new Set(parseUuids(overview.autostartDomains))
    const persistent = new Set(parseUuids(overview.persistentDomains))
    const records: VmRecord[] = []
    ;[...domains].forEach(([uuid, listedName], index) => {
      const xml = domainXml[index] ?? ''
      if (xml.trim() === '' && errors.includes(`failed to get domain '${uuid}'`)) {
        problems.push({
          place: `domain:${listedName}`,
          reason: 'vanished',
          detail: `listed, then gone before its definition was read (UUID ${uuid}); not taken as deleted`,
          vmUuid: uuid,
        })
        return
      }
      const { record, problems: found } = vmRecord({
        uuid,
        listedName,
        state: states.get(uuid) ?? 'unknown',
        autostart: autostart.has(uuid),
        persistent: persistent.has(uuid),
        xml,
        ...domainSnapshots(uuid, withoutSnapshots, snapshotLists, errors),
      })
      records.push(record)
      problems.push(...found)
    })
    return records
  }

  #hostElements(overview: OverviewAnswers, problems: HypervisorProblem[]): Element[] {
    try {
      return hostElements(overview)
    } catch (error) {
      if (!(error instanceof LibvirtXmlError)) throw error
      problems.push({
        place: 'host',
        reason: 'malformed',
        detail: `capabilities: ${error.message}`,
      })
      return []
    }
  }

  #networkElements(
    networks: readonly string[],
    xml: readonly string[],
    overview: OverviewAnswers,
    problems: HypervisorProblem[],
  ): Element[] {
    const active = new Set(parseUuids(overview.activeNetworks))
    const autostart = new Set(parseUuids(overview.autostartNetworks))
    const persistent = new Set(parseUuids(overview.persistentNetworks))
    return networks.flatMap((uuid, index) => {
      const definition = xml[index] ?? ''
      const read = readOrReport(`network:${uuid}`, definition, problems, () =>
        networkElement({
          uuid,
          xml: definition,
          active: active.has(uuid),
          autostart: autostart.has(uuid),
          persistent: persistent.has(uuid),
        }),
      )
      return read === undefined ? [] : [read]
    })
  }

  async #poolElements(
    pools: readonly string[],
    answers: AnswerReader,
    overview: OverviewAnswers,
    errors: string,
    problems: HypervisorProblem[],
    signal?: AbortSignal,
  ): Promise<Element[]> {
    const xml = answers.take(pools.length)
    const volumeLists = answers.take(pools.length)
    const active = new Set(parseUuids(overview.activePools))
    const autostart = new Set(parseUuids(overview.autostartPools))
    const persistent = new Set(parseUuids(overview.persistentPools))
    const elements: Element[] = []
    const volumes: { pool: string; uuid: string; path: string }[] = []
    pools.forEach((uuid, index) => {
      const definition = xml[index] ?? ''
      const pool = readOrReport(`pool:${uuid}`, definition, problems, () => ({
        element: poolElement({
          uuid,
          xml: definition,
          active: active.has(uuid),
          autostart: autostart.has(uuid),
          persistent: persistent.has(uuid),
        }),
        name: poolName(definition),
      }))
      if (pool === undefined) return
      elements.push(pool.element)
      if (active.has(uuid) && (volumeLists[index] ?? '') === '' && errors.includes(uuid)) {
        problems.push({
          place: `pool:${pool.name}`,
          reason: 'unreadable',
          detail: 'its volumes could not be listed',
        })
      }
      for (const path of parseVolumePaths(volumeLists[index] ?? '')) {
        volumes.push({ pool: pool.name, uuid, path })
      }
    })
    if (volumes.length === 0) return elements
    const volumeXml = await this.#virsh.run(
      volumes.map(({ uuid, path }) => virshCommand('vol-dumpxml', '--pool', uuid, '--vol', path)),
      signal,
    )
    volumes.forEach(({ pool, path }, index) => {
      const definition = volumeXml.outputs[index] ?? ''
      const volume = readOrReport(`pool:${pool}:${path}`, definition, problems, () =>
        volumeElement(pool, definition),
      )
      if (volume !== undefined) elements.push(volume)
    })
    return elements
  }
}

/** Reads one object's definition; an empty answer (it vanished) or bad XML becomes a problem. */
function readOrReport<T>(
  place: string,
  definition: string,
  problems: HypervisorProblem[],
  read: () => T,
): T | undefined {
  if (definition.trim() === '') {
    problems.push({ place, reason: 'vanished', detail: 'listed, then gone before it was read' })
    return undefined
  }
  try {
    return read()
  } catch (error) {
    if (!(error instanceof LibvirtXmlError)) throw error
    problems.push({ place, reason: 'malformed', detail: error.message })
    return undefined
  }
}

/** What the second batch said of each domain besides its definition. */
interface DomainAnswers {
  readonly states: ReadonlyMap<string, VmState>
  readonly withoutSnapshots: ReadonlySet<string>
  /** `snapshot-list` of each domain not listed `--without-snapshot`. */
  readonly snapshotLists: ReadonlyMap<string, string>
}

/** A domain's snapshot times, or why they are not known. */
function domainSnapshots(
  uuid: string,
  withoutSnapshots: ReadonlySet<string>,
  snapshotLists: ReadonlyMap<string, string>,
  errors: string,
): { snapshotTimes: string[] | undefined; snapshotFailure?: string } {
  if (withoutSnapshots.has(uuid)) return { snapshotTimes: [] }
  const snapshotTimes = parseSnapshotTimes(snapshotLists.get(uuid) ?? '')
  if (snapshotTimes !== undefined) return { snapshotTimes }
  const answer = snapshotLists.get(uuid) ?? ''
  return {
    snapshotTimes,
    snapshotFailure:
      answer.trim() !== ''
        ? 'virsh gave a list that could not be read'
        : errors.includes(`failed to get domain '${uuid}'`)
          ? 'the domain was gone when they were listed'
          : 'virsh gave no list',
  }
}

/** The states the state-filtered lists give; domains in none of them are asked one by one. */
function domainStates(overview: OverviewAnswers): Map<string, VmState> {
  const states = new Map<string, VmState>()
  for (const uuid of parseUuids(overview.running)) states.set(uuid, 'running')
  for (const uuid of parseUuids(overview.paused)) states.set(uuid, 'paused')
  for (const uuid of parseUuids(overview.shutoff)) states.set(uuid, 'shutoff')
  return states
}

/** Hands out a batch's outputs in the order the commands were queued. */
class AnswerReader {
  readonly #outputs: readonly string[]
  #next = 0

  constructor(batch: VirshBatch) {
    this.#outputs = batch.outputs
  }

  take(count: number): string[] {
    const taken = this.#outputs.slice(this.#next, this.#next + count)
    this.#next += count
    return taken
  }
}

function byKey(a: Element, b: Element): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0
}
