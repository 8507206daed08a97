// Domains for libvirt's test driver, as the tests write them into node files or define them with
// a second virsh: a name, a UUID, and what each test needs of memory, devices and the rest.

export interface TestDomain {
  readonly name: string
  readonly uuid: string
  readonly memoryMib?: number
  readonly vcpus?: number
  /** The inside of `<devices>`. */
  readonly devices?: string
  /** After `<devices>`: a seclabel, a snapshot in the test driver's namespace … */
  readonly extra?: string
}

export function testDomainXml(domain: TestDomain): string {
  return `<domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>${domain.name}</name>
    <uuid>${domain.uuid}</uuid>
    <memory unit='MiB'>${domain.memoryMib ?? 512}</memory>
    <vcpu>${domain.vcpus ?? 1}</vcpu>
    <os><type arch='x86_64'>hvm</type></os>
    <devices>${domain.devices ?? ''}</devices>${domain.extra ?? ''}
  </domain>`
}

/** A network interface with its MAC, on libvirt's default network. */
export function testNic(mac: string): string {
  return `<interface type='network'><mac address='${mac}'/><source network='default'/></interface>`
}
