// vSphere's own configuration as `vmm:` and `vnet:` elements: the vCenter (or ESXi) server and its
// advanced settings, datacenters, clusters, hosts with their advanced settings and services.
import type { AttributeValue, Element } from '../../model/index.js'
import type { ObjectProperties } from './property-retrieval.js'
import { child, childText, children, text, type XmlNode } from './soap-xml.js'
import { booleanOf, numberOf, readOptionValues } from './vim-values.js'

export const DATACENTER_PROPERTIES = ['name', 'parent'] as const
export const FOLDER_PROPERTIES = ['name', 'parent'] as const
export const COMPUTE_RESOURCE_PROPERTIES = ['name', 'parent'] as const
export const CLUSTER_PROPERTIES = ['name', 'parent', 'configurationEx'] as const
export const HOST_PROPERTIES = [
  'name',
  'parent',
  'runtime.connectionState',
  'runtime.powerState',
  'runtime.inMaintenanceMode',
  'config.lockdownMode',
  'config.service',
  'configManager.advancedOption',
  'summary.config.product',
  'summary.hardware',
] as const
export const NETWORK_PROPERTIES = ['name', 'parent'] as const
export const PORTGROUP_PROPERTIES = ['name', 'parent', 'key'] as const

/** `vmm:server`: what the endpoint says it is (vCenter or a single ESXi host). */
export function serverElement(about: Readonly<Record<string, string>>): Element {
  return {
    key: 'vmm:server',
    attributes: {
      product: about['fullName'] ?? null,
      apiType: about['apiType'] ?? null,
      version: about['version'] ?? null,
      build: about['build'] ?? null,
      apiVersion: about['apiVersion'] ?? null,
      instanceUuid: about['instanceUuid'] ?? null,
    },
  }
}

/** One element per advanced setting: `<prefix>/option/<key>` with its value. */
export function optionElements(prefix: string, settings: XmlNode | undefined): Element[] {
  // A property read alone comes as ArrayOfOptionValue with <OptionValue> items.
  return readOptionValues(children(settings, 'OptionValue')).map(({ key, value }) => ({
    key: `${prefix}/option/${key}`,
    attributes: { value },
  }))
}

export function datacenterElement(name: string): Element {
  return { key: `vmm:datacenter/${name}`, attributes: { name } }
}

export function clusterElement(cluster: ObjectProperties, datacenter: string): Element {
  const name = text(cluster.properties.get('name')) ?? cluster.reference.value
  const configuration = cluster.properties.get('configurationEx')
  const drs = child(configuration, 'drsConfig')
  const ha = child(configuration, 'dasConfig')
  return {
    key: `vmm:cluster/${datacenter}/${name}`,
    attributes: {
      name,
      datacenter,
      drsEnabled: booleanOf(childText(drs, 'enabled')),
      drsBehavior: childText(drs, 'defaultVmBehavior') ?? null,
      haEnabled: booleanOf(childText(ha, 'enabled')),
      haHostMonitoring: childText(ha, 'hostMonitoring') ?? null,
      vmSwapPlacement: childText(configuration, 'vmSwapPlacement') ?? null,
    },
  }
}

/** `vmm:host/<name>` and one `vmm:host/<name>/service/<key>` per service. */
export function hostElements(
  host: ObjectProperties,
  placement: { readonly datacenter: string | null; readonly cluster: string | null },
): Element[] {
  const name = hostName(host)
  const product = host.properties.get('summary.config.product')
  const hardware = host.properties.get('summary.hardware')
  const attributes: Record<string, AttributeValue> = {
    name,
    datacenter: placement.datacenter,
    cluster: placement.cluster,
    connectionState: text(host.properties.get('runtime.connectionState')) ?? null,
    powerState: text(host.properties.get('runtime.powerState')) ?? null,
    maintenanceMode: booleanOf(text(host.properties.get('runtime.inMaintenanceMode'))),
    lockdownMode: text(host.properties.get('config.lockdownMode')) ?? null,
    product: childText(product, 'fullName') ?? null,
    version: childText(product, 'version') ?? null,
    build: childText(product, 'build') ?? null,
    vendor: childText(hardware, 'vendor') ?? null,
    model: childText(hardware, 'model') ?? null,
    hardwareUuid: childText(hardware, 'uuid') ?? null,
    cpuModel: childText(hardware, 'cpuModel') ?? null,
    cpuCores: numberOf(childText(hardware, 'numCpuCores')),
    memoryBytes: numberOf(childText(hardware, 'memorySize')),
  }
  const elements: Element[] = [{ key: `vmm:host/${name}`, attributes: attributes }]
  for (const service of children(host.properties.get('config.service'), 'service')) {
    const key = childText(service, 'key')
    if (key === undefined || key === '') continue
    elements.push({
      key: `vmm:host/${name}/service/${key}`,
      attributes: {
        label: childText(service, 'label') ?? null,
        running: booleanOf(childText(service, 'running')),
        policy: childText(service, 'policy') ?? null,
      },
    })
  }
  return elements
}

export function hostName(host: ObjectProperties): string {
  return text(host.properties.get('name')) ?? host.reference.value
}

/** `vnet:<datacenter>/<name>`: a standard network or a distributed portgroup. */
export function networkElement(network: ObjectProperties, datacenter: string | null): Element {
  const name = text(network.properties.get('name')) ?? network.reference.value
  return {
    key: `vnet:${datacenter ?? '-'}/${name}`,
    attributes: {
      name,
      datacenter,
      type: network.reference.type === 'Network' ? 'standard' : network.reference.type,
    },
  }
}
