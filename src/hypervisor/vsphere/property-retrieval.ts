// Bulk reads through vCenter's PropertyCollector: a ContainerView over the root folder selects
// every object of the wanted types in one request, and RetrievePropertiesEx pages the answer
// (ContinueRetrievePropertiesEx) so a vCenter with thousands of VMs answers in bounded pieces.
import {
  child,
  childText,
  children,
  element,
  readReference,
  referenceElement,
  xsiType,
  type ManagedObjectReference,
  type XmlContent,
  type XmlElement,
  type XmlNode,
} from './soap-xml.js'
import type { ServiceContent, VimClient } from './vim-client.js'

/** Which properties to read of the objects of one type. */
export interface PropertyRequest {
  readonly type: string
  readonly paths: readonly string[]
}

/** One object's properties as retrieved; unset properties are absent from `properties`. */
export interface ObjectProperties {
  readonly reference: ManagedObjectReference
  readonly properties: ReadonlyMap<string, XmlNode>
  /** Properties the server could not read, with the fault type it named. */
  readonly missing: readonly { readonly path: string; readonly fault: string }[]
}

/** Objects per page: small enough to bound one answer, large enough to need few round trips. */
const PAGE_SIZE = 500

/**
 * Creates a ContainerView of `types` under the root folder, runs `read` with it and destroys it,
 * even when `read` fails.
 */
export async function withContainerView<T>(
  client: VimClient,
  serviceContent: ServiceContent,
  types: readonly string[],
  read: (view: ManagedObjectReference) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const response = await client.invoke(
    'CreateContainerView',
    serviceContent.viewManager,
    [
      referenceElement('container', serviceContent.rootFolder),
      types.map((type) => element('type', type)),
      element('recursive', true),
    ],
    signal,
  )
  const view = readReference(child(response, 'returnval'))
  if (view === undefined) throw new Error('CreateContainerView returned no view')
  try {
    return await read(view)
  } finally {
    // Best effort: the view dies with the session anyway, and a failed read's error matters more.
    await client.invoke('DestroyView', view, [], signal).catch(() => undefined)
  }
}

/** The listed properties of every object in `view`, one request (and its pages) for all types. */
export function retrieveFromView(
  client: VimClient,
  serviceContent: ServiceContent,
  view: ManagedObjectReference,
  requests: readonly PropertyRequest[],
  signal?: AbortSignal,
): Promise<ObjectProperties[]> {
  const objectSet = element('objectSet', [
    referenceElement('obj', view),
    element('skip', true),
    element(
      'selectSet',
      [
        element('name', 'view'),
        element('type', 'ContainerView'),
        element('path', 'view'),
        element('skip', false),
      ],
      { xsiType: 'TraversalSpec' },
    ),
  ])
  return retrieve(client, serviceContent, requests, [objectSet], signal)
}

/** The listed properties of the given objects (e.g. each host's OptionManager), in one request. */
export function retrieveFromObjects(
  client: VimClient,
  serviceContent: ServiceContent,
  objects: readonly ManagedObjectReference[],
  requests: readonly PropertyRequest[],
  signal?: AbortSignal,
): Promise<ObjectProperties[]> {
  if (objects.length === 0) return Promise.resolve([])
  const objectSets = objects.map((reference) =>
    element('objectSet', [referenceElement('obj', reference), element('skip', false)]),
  )
  return retrieve(client, serviceContent, requests, objectSets, signal)
}

async function retrieve(
  client: VimClient,
  serviceContent: ServiceContent,
  requests: readonly PropertyRequest[],
  objectSets: readonly XmlElement[],
  signal?: AbortSignal,
): Promise<ObjectProperties[]> {
  const propSets = requests.map((request) =>
    element('propSet', [
      element('type', request.type),
      element('all', false),
      request.paths.map((path) => element('pathSet', path)),
    ]),
  )
  // An object deleted between selection and reading comes back with a ManagedObjectNotFound in
  // its missingSet (vcsim leaves it out) instead of failing the whole call.
  const specSet = element('specSet', [
    propSets,
    objectSets,
    element('reportMissingObjectsInResults', true),
  ])
  const collector = serviceContent.propertyCollector
  const objects: ObjectProperties[] = []
  let result = child(
    await client.invoke(
      'RetrievePropertiesEx',
      collector,
      [specSet, element('options', element('maxObjects', PAGE_SIZE))],
      signal,
    ),
    'returnval',
  )
  for (;;) {
    objects.push(...children(result, 'objects').map(readObjectContent))
    const token = childText(result, 'token')
    if (token === undefined || token === '') return objects
    result = child(
      await continueRetrieval(client, collector, element('token', token), signal),
      'returnval',
    )
  }
}

async function continueRetrieval(
  client: VimClient,
  collector: ManagedObjectReference,
  token: XmlContent,
  signal?: AbortSignal,
): Promise<XmlNode> {
  try {
    return await client.invoke('ContinueRetrievePropertiesEx', collector, token, signal)
  } catch (error) {
    // Let vCenter free the rest of the result rather than keep it until the session ends.
    if (signal?.aborted === true) {
      await client.invoke('CancelRetrievePropertiesEx', collector, token).catch(() => undefined)
    }
    throw error
  }
}

function readObjectContent(node: XmlNode): ObjectProperties {
  const reference = readReference(child(node, 'obj')) ?? { type: 'unknown', value: '' }
  const properties = new Map<string, XmlNode>()
  for (const property of children(node, 'propSet')) {
    const name = childText(property, 'name')
    const value = child(property, 'val')
    if (name !== undefined && value !== undefined) properties.set(name, value)
  }
  const missing = children(node, 'missingSet').map((entry) => {
    const fault = child(child(entry, 'fault'), 'fault')
    return {
      path: childText(entry, 'path') ?? '',
      fault: (fault === undefined ? undefined : xsiType(fault)) ?? 'unknown',
    }
  })
  return { reference, properties, missing }
}
