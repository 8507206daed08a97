// `vnet:<name>`: one element per libvirt virtual network — how it reaches the outside (forward
// mode), its bridge, addresses and DHCP, whether it runs and starts with the host — with its
// definition as content.
import type { Element } from '../../model/index.js'
import { contentSha256, redactedConfig } from './config-content.js'
import { attribute, child, childText, children, parseLibvirtXml } from './libvirt-xml.js'

export interface NetworkFacts {
  readonly uuid: string
  readonly xml: string
  readonly active: boolean
  readonly autostart: boolean
  readonly persistent: boolean
}

/** @throws LibvirtXmlError when the definition cannot be read. */
export function networkElement(facts: NetworkFacts): Element {
  const network = parseLibvirtXml(facts.xml, 'network')
  const forward = child(network, 'forward')
  // How many NICs use the network changes with every VM start: not configuration.
  const content = redactedConfig(
    facts.xml.replace(/^(<network\b[^>]*?)\s+connections=(['"])\d+\2/, '$1'),
  )
  const ips = children(network, 'ip').map((ip) => {
    const address = attribute(ip, 'address') ?? ''
    const prefix = attribute(ip, 'prefix') ?? attribute(ip, 'netmask')
    return prefix === undefined ? address : `${address}/${prefix}`
  })
  return {
    key: `vnet:${childText(network, 'name') ?? facts.uuid}`,
    attributes: {
      uuid: facts.uuid,
      active: facts.active,
      autostart: facts.autostart,
      persistent: facts.persistent,
      // No <forward> is an isolated network; <forward/> without a mode is NAT.
      forward_mode: forward === undefined ? 'isolated' : (attribute(forward, 'mode') ?? 'nat'),
      forward_dev: attribute(forward, 'dev') ?? null,
      bridge: attribute(child(network, 'bridge'), 'name') ?? null,
      ips: ips.sort().join(','),
      dhcp: children(network, 'ip').some((ip) => child(ip, 'dhcp') !== undefined),
      sha256: contentSha256(content),
    },
    content,
  }
}
