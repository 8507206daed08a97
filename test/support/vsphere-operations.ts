// An operator changing a vCenter the way an administrator's tools do (pyvmomi, govc, the vSphere
// Client): the same vim25 methods over the same SOAP API, through driftwatch's own client, so the
// tests can power VMs off and on, reconfigure, create and destroy them, and end sessions.
import {
  VimClient,
  child,
  childText,
  children,
  element,
  readReference,
  referenceElement,
  retrieveFromObjects,
  retrieveFromView,
  text,
  withContainerView,
  type ManagedObjectReference,
  type ServiceContent,
  type XmlContent,
} from '../../src/hypervisor/vsphere/index.js'

export class VsphereOperator {
  readonly #client: VimClient

  constructor(url: string, fingerprint: string, userName: string, password = 'operator-password') {
    this.#client = new VimClient({
      endpoint: new URL(url),
      trust: { kind: 'fingerprint', sha256: fingerprint },
      userName,
      password,
    })
  }

  close(): Promise<void> {
    return this.#client.close()
  }

  powerOff(vm: string): Promise<void> {
    return this.#vmTask(vm, 'PowerOffVM_Task', [])
  }

  powerOn(vm: string): Promise<void> {
    return this.#vmTask(vm, 'PowerOnVM_Task', [])
  }

  destroy(vm: string): Promise<void> {
    return this.#vmTask(vm, 'Destroy_Task', [])
  }

  /** CreateSnapshot_Task: a snapshot of the VM's disks (no memory, no quiescing). */
  createSnapshot(vm: string, name: string): Promise<void> {
    return this.#vmTask(vm, 'CreateSnapshot_Task', [
      element('name', name),
      element('memory', false),
      element('quiesce', false),
    ])
  }

  /** ReconfigVM_Task with new memory and extraConfig entries (ConfigSpec members in schema order). */
  reconfigure(
    vm: string,
    change: { readonly memoryMB?: number; readonly extraConfig?: Readonly<Record<string, string>> },
  ): Promise<void> {
    return this.#vmTask(
      vm,
      'ReconfigVM_Task',
      element('spec', [
        change.memoryMB === undefined ? undefined : element('memoryMB', change.memoryMB),
        Object.entries(change.extraConfig ?? {}).map(([key, value]) =>
          optionValue('extraConfig', key, value),
        ),
      ]),
    )
  }

  /** CreateVM_Task in the first datacenter's VM folder, on `host`'s resource pool, with one NIC. */
  async createVm(name: string, host: string): Promise<void> {
    await this.#client.withSession(async (serviceContent) => {
      const hostReference = await this.#find(serviceContent, 'HostSystem', host)
      const [hostProperties] = await retrieveFromObjects(
        this.#client,
        serviceContent,
        [hostReference],
        [{ type: 'HostSystem', paths: ['parent', 'datastore'] }],
      )
      const computeResource = readReference(hostProperties?.properties.get('parent'))
      const datastoreList = hostProperties?.properties.get('datastore')
      const datastore = readReference(children(datastoreList, 'ManagedObjectReference')[0])
      if (computeResource === undefined || datastore === undefined)
        throw new Error(`no pool for ${host}`)
      const placement = await retrieveFromObjects(
        this.#client,
        serviceContent,
        [computeResource, datastore],
        [
          { type: 'ComputeResource', paths: ['resourcePool'] },
          { type: 'ClusterComputeResource', paths: ['resourcePool'] },
          { type: 'Datastore', paths: ['name'] },
        ],
      )
      const pool = readReference(
        placement
          .find((object) => object.reference.value === computeResource.value)
          ?.properties.get('resourcePool'),
      )
      const datastoreName = text(
        placement
          .find((object) => object.reference.value === datastore.value)
          ?.properties.get('name'),
      )
      const datacenter = await this.#find(serviceContent, 'Datacenter')
      const [datacenterProperties] = await retrieveFromObjects(
        this.#client,
        serviceContent,
        [datacenter],
        [{ type: 'Datacenter', paths: ['vmFolder'] }],
      )
      const vmFolder = readReference(datacenterProperties?.properties.get('vmFolder'))
      if (pool === undefined || vmFolder === undefined || datastoreName === undefined) {
        throw new Error(`no resource pool, folder or datastore for ${host}`)
      }
      const config = element('config', [
        element('name', name),
        element('guestId', 'otherGuest64'),
        element('files', element('vmPathName', `[${datastoreName}]`)),
        element('numCPUs', 2),
        element('memoryMB', 128),
        element('deviceChange', [
          element('operation', 'add'),
          element(
            'device',
            [
              element('key', -1),
              element('backing', element('deviceName', 'VM Network'), {
                xsiType: 'VirtualEthernetCardNetworkBackingInfo',
              }),
              element('addressType', 'generated'),
            ],
            { xsiType: 'VirtualVmxnet3' },
          ),
        ]),
      ])
      await this.#runTask(serviceContent, vmFolder, 'CreateVM_Task', [
        config,
        referenceElement('pool', pool),
        referenceElement('host', hostReference),
      ])
    })
  }

  /** UpdateOptions on a host's advanced settings (its OptionManager). */
  async setHostOption(host: string, key: string, value: number): Promise<void> {
    await this.#client.withSession(async (serviceContent) => {
      const hostReference = await this.#find(serviceContent, 'HostSystem', host)
      const [properties] = await retrieveFromObjects(
        this.#client,
        serviceContent,
        [hostReference],
        [{ type: 'HostSystem', paths: ['configManager.advancedOption'] }],
      )
      const manager = readReference(properties?.properties.get('configManager.advancedOption'))
      if (manager === undefined) throw new Error(`${host} has no OptionManager`)
      await this.#client.invoke('UpdateOptions', manager, [
        element(
          'changedValue',
          [element('key', key), element('value', value, { xsiType: 'xsd:int' })],
          {
            xsiType: 'OptionValue',
          },
        ),
      ])
    })
  }

  /** Ends every session of `userName` (as an administrator does in the vSphere Client); returns their keys. */
  async terminateSessionsOf(userName: string): Promise<string[]> {
    return this.#client.withSession(async (serviceContent) => {
      const keys = await this.sessionKeysOf(userName)
      if (keys.length > 0) {
        await this.#client.invoke(
          'TerminateSession',
          serviceContent.sessionManager,
          keys.map((key) => element('sessionId', key)),
        )
      }
      return keys
    })
  }

  /** The keys of the sessions `userName` has open now. */
  sessionKeysOf(userName: string): Promise<string[]> {
    return this.#client.withSession(async (serviceContent) => {
      const [manager] = await retrieveFromObjects(
        this.#client,
        serviceContent,
        [serviceContent.sessionManager],
        [{ type: 'SessionManager', paths: ['sessionList'] }],
      )
      const sessions = children(manager?.properties.get('sessionList'), 'UserSession')
      return sessions
        .filter((session) => childText(session, 'userName') === userName)
        .map((session) => childText(session, 'key') ?? '')
    })
  }

  async #vmTask(vm: string, method: string, args: XmlContent): Promise<void> {
    await this.#client.withSession(async (serviceContent) => {
      const reference = await this.#find(serviceContent, 'VirtualMachine', vm)
      await this.#runTask(serviceContent, reference, method, args)
    })
  }

  async #runTask(
    serviceContent: ServiceContent,
    target: ManagedObjectReference,
    method: string,
    args: XmlContent,
  ): Promise<void> {
    const task = readReference(child(await this.#client.invoke(method, target, args), 'returnval'))
    if (task === undefined) throw new Error(`${method} returned no task`)
    for (let attempt = 0; attempt < 400; attempt++) {
      const [info] = await retrieveFromObjects(
        this.#client,
        serviceContent,
        [task],
        [{ type: 'Task', paths: ['info.state', 'info.error'] }],
      )
      const state = text(info?.properties.get('info.state'))
      if (state === 'success') return
      if (state === 'error') {
        const error = info?.properties.get('info.error')
        throw new Error(`${method} failed: ${childText(error, 'localizedMessage') ?? 'unknown'}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    throw new Error(`${method} did not finish within 10 s`)
  }

  async #find(
    serviceContent: ServiceContent,
    type: string,
    name?: string,
  ): Promise<ManagedObjectReference> {
    const objects = await withContainerView(this.#client, serviceContent, [type], (view) =>
      retrieveFromView(this.#client, serviceContent, view, [{ type, paths: ['name'] }]),
    )
    const found = objects.find(
      (object) => name === undefined || text(object.properties.get('name')) === name,
    )
    if (found === undefined) throw new Error(`no ${type} named ${name ?? '(any)'}`)
    return found.reference
  }
}

function optionValue(name: string, key: string, value: string): XmlContent {
  return element(name, [element('key', key), element('value', value, { xsiType: 'xsd:string' })], {
    xsiType: 'OptionValue',
  })
}
