// The VMM's own elements: `vmm:host` (what the host offers guests and how it confines them),
// `vmm:version`, and `vmm:capabilities` (the whole capabilities document as content, so a QEMU
// upgrade that adds or drops machine types shows as a diff).
import type { Element } from '../../model/index.js'
import { contentSha256 } from './config-content.js'
import { attribute, child, childText, children, parseLibvirtXml } from './libvirt-xml.js'
import { parseLabelledLines } from './virsh-output.js'

export interface HostAnswers {
  readonly hostname: string
  readonly capabilities: string
  readonly nodeinfo: string
  readonly version: string
}

/**
 * @throws LibvirtXmlError when the capabilities are not well-formed: the host is then unknown,
 *   which the connector reports for the whole inventory.
 */
export function hostElements(answers: HostAnswers): Element[] {
  const capabilities = parseLibvirtXml(answers.capabilities, 'capabilities')
  const host = child(capabilities, 'host')
  const node = parseLabelledLines(answers.nodeinfo)
  const version = parseLabelledLines(answers.version)
  const number = (label: string): number | null => {
    const value = /^\d+/.exec(node.get(label) ?? '')?.[0]
    return value === undefined ? null : Number(value)
  }
  const iommu = attribute(child(host, 'iommu'), 'support')
  const content = `${answers.capabilities.trim()}\n`
  const [hypervisor, hypervisorVersion] = (version.get('Running hypervisor') ?? '').split(/\s+/)
  return [
    {
      key: 'vmm:capabilities',
      attributes: { sha256: contentSha256(content) },
      content,
    },
    {
      key: 'vmm:host',
      attributes: {
        hostname: answers.hostname.trim(),
        arch: childText(host, 'cpu', 'arch') ?? null,
        cpu_model: node.get('CPU model') ?? null,
        cpus: number('CPU(s)'),
        sockets: number('CPU socket(s)'),
        cores_per_socket: number('Core(s) per socket'),
        threads_per_core: number('Thread(s) per core'),
        numa_cells: number('NUMA cell(s)'),
        memory_kib: number('Memory size'),
        iommu: iommu === undefined ? null : iommu === 'yes',
        security_models: children(host, 'secmodel')
          .map((model) => childText(model, 'model') ?? '')
          .filter((model) => model !== '')
          .sort()
          .join(','),
        migration_transports: children(
          child(host, 'migration_features', 'uri_transports'),
          'uri_transport',
        )
          .map((transport) => childText(transport) ?? '')
          .sort()
          .join(','),
      },
    },
    {
      key: 'vmm:version',
      attributes: {
        hypervisor: hypervisor === undefined || hypervisor === '' ? null : hypervisor,
        hypervisor_version: hypervisorVersion ?? null,
        daemon_version: version.get('Running against daemon') ?? null,
      },
    },
  ]
}
