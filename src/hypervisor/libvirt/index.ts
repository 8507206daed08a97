// The libvirt connector: KVM/QEMU, Xen and any other libvirt URI, through virsh.
export { LibvirtConnector, type LibvirtConnectorOptions } from './libvirt-connector.js'
export {
  ExecVirshRunner,
  type ExecVirshRunnerOptions,
  type VirshBatch,
  type VirshRunner,
} from './virsh-runner.js'
export { virshCommand } from './virsh-command.js'
