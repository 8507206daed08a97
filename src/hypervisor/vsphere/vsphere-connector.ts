// The vSphere connector: a vCenter (or a single ESXi host) through its Web Services API, as
// pyvmomi and govmomi speak it. One session serves inventories and event reads until close().
import type {
  HypervisorConnector,
  HypervisorEvent,
  HypervisorInventory,
} from '../hypervisor-connector.js'
import { VimClient } from './vim-client.js'
import { readVsphereEvents } from './vsphere-events.js'
import { readVsphereInventory } from './vsphere-inventory.js'
import type { VsphereTarget } from './vsphere-target.js'

export interface VsphereConnectorOptions extends VsphereTarget {
  /** One SOAP call, connecting included (default 60 s). */
  readonly timeoutMs?: number | undefined
}

/**
 * @example
 * const connector = new VsphereConnector(parseVsphereTarget('https://vc.example/sdk', env))
 * const inventory = await connector.inventory()
 * await connector.close()
 */
export class VsphereConnector implements HypervisorConnector {
  readonly kind = 'vsphere'
  readonly uri: string
  readonly #client: VimClient

  constructor(options: VsphereConnectorOptions) {
    this.uri = options.endpoint.href
    this.#client = new VimClient({
      endpoint: options.endpoint,
      trust: options.trust,
      userName: options.userName,
      password: options.password,
      timeoutMs: options.timeoutMs,
    })
  }

  inventory(signal?: AbortSignal): Promise<HypervisorInventory> {
    return readVsphereInventory(this.#client, this.uri, signal)
  }

  events(since: string, signal?: AbortSignal): Promise<readonly HypervisorEvent[]> {
    return readVsphereEvents(this.#client, since, signal)
  }

  /** Logs out; the connector cannot be used afterwards. */
  close(): Promise<void> {
    return this.#client.close()
  }
}
