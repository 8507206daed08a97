// Where a hypervisor given on the command line or in the console's configuration
// (`libvirt:qemu:///system`, `vsphere:https://vcenter.example/sdk`) becomes its connector: the
// one place that knows every connector, so the rest of driftwatch depends on the interface only.
import { DriftwatchError } from '../errors/index.js'
import type {
  HypervisorConnector,
  HypervisorInventory,
  HypervisorKind,
} from './hypervisor-connector.js'
import { LibvirtConnector } from './libvirt/index.js'
import { VsphereConnector, parseVsphereTarget } from './vsphere/index.js'

export interface OpenConnectorOptions {
  /**
   * The environment the connector's programs run in (virsh over ssh needs HOME, SSH_AUTH_SOCK);
   * vSphere's credentials where the URL has none (DRIFTWATCH_VSPHERE_USER, _PASSWORD).
   */
  readonly env?: NodeJS.ProcessEnv
  /** How long one request may take; each connector has its own default. */
  readonly timeoutMs?: number
}

/**
 * @throws DriftwatchError DW_ERR_USAGE when the spec is not `libvirt:<URI>` or `vsphere:<URL>`.
 * @example openHypervisorConnector('libvirt:qemu+ssh://root@kvm1/system')
 */
export function openHypervisorConnector(
  spec: string,
  options: OpenConnectorOptions = {},
): HypervisorConnector {
  const { kind, uri } = parseHypervisorSpec(spec)
  switch (kind) {
    case 'libvirt':
      return new LibvirtConnector({
        uri,
        ...(options.env === undefined ? {} : { env: options.env }),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      })
    case 'vsphere':
      // The user and password come from the URL or, better, from the environment
      // (DRIFTWATCH_VSPHERE_USER, DRIFTWATCH_VSPHERE_PASSWORD): docs/hypervisors.md.
      return new VsphereConnector({
        ...parseVsphereTarget(uri, options.env ?? {}),
        ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      })
  }
}

/** `libvirt:qemu:///system` → { kind: 'libvirt', uri: 'qemu:///system' }. */
export function parseHypervisorSpec(spec: string): { kind: HypervisorKind; uri: string } {
  const match = /^(libvirt|vsphere):(.+)$/.exec(spec.trim())
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new DriftwatchError(
      'DW_ERR_USAGE',
      `hypervisor '${spec}': expected libvirt:<URI> (libvirt:qemu:///system) or vsphere:<URL> (vsphere:https://vcenter/sdk)`,
    )
  }
  return { kind: match[1] as HypervisorKind, uri: match[2] }
}

/**
 * One inventory of a hypervisor, for one-off use (`snapshot --hypervisor`, `assess --hypervisor`):
 * opened, read and closed.
 *
 * @throws DriftwatchError DW_ERR_USAGE, DW_ERR_HYPERVISOR_UNREACHABLE, DW_ERR_HYPERVISOR_RESPONSE
 */
export async function readHypervisorInventory(
  spec: string,
  options: OpenConnectorOptions = {},
): Promise<HypervisorInventory> {
  const connector = openHypervisorConnector(spec, options)
  try {
    return await connector.inventory()
  } finally {
    await connector.close()
  }
}
