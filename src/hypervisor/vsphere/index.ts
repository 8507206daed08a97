// VMware vSphere: a vCenter or ESXi host through its Web Services API (vim25 over SOAP).
export { VsphereConnector, type VsphereConnectorOptions } from './vsphere-connector.js'
export {
  parseVsphereTarget,
  type VsphereTarget,
  type VsphereCredentialsEnvironment,
} from './vsphere-target.js'
export type { VsphereTrust } from './soap-transport.js'
export { VimClient, type ServiceContent, type VimClientOptions } from './vim-client.js'
export { retrieveFromObjects, retrieveFromView, withContainerView } from './property-retrieval.js'
export {
  element,
  referenceElement,
  child,
  children,
  childText,
  text,
  readReference,
  type ManagedObjectReference,
  type XmlContent,
  type XmlNode,
} from './soap-xml.js'
