// libvirt's XML documents (domains, networks, pools, capabilities) parsed into plain nodes and
// read through a few accessors. Every child element is a list, so one shape serves one device
// or many. libvirt never writes a DOCTYPE: a document with one is refused, not expanded.
import { XMLParser, XMLValidator } from 'fast-xml-parser'

/** One element: attributes under `@`, text under `#text`, children by name (always lists). */
export interface LibvirtXmlNode {
  readonly '@'?: Readonly<Record<string, string>>
  readonly '#text'?: string
  readonly [child: string]: unknown
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  attributesGroupName: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
  trimValues: true,
  isArray: (_name, _path, _isLeaf, isAttribute) => !isAttribute,
})

/** Why a document could not be read, for a problem's detail. */
export class LibvirtXmlError extends Error {
  override readonly name = 'LibvirtXmlError'
}

/**
 * Parses a document whose root element must be `root`.
 *
 * @throws LibvirtXmlError naming the line when the XML is not well-formed or the root differs.
 * @example parseLibvirtXml("<network><name>default</name></network>", 'network')
 */
export function parseLibvirtXml(xml: string, root: string): LibvirtXmlNode {
  if (/<!DOCTYPE/i.test(xml)) throw new LibvirtXmlError('a DOCTYPE, which libvirt never writes')
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    throw new LibvirtXmlError(`not well-formed XML at line ${valid.err.line}: ${valid.err.msg}`)
  }
  const document = parser.parse(xml) as Record<string, unknown>
  const node = children(document, root)[0]
  if (node === undefined) throw new LibvirtXmlError(`no <${root}> element`)
  return node
}

export function children(node: LibvirtXmlNode | undefined, name: string): LibvirtXmlNode[] {
  const value = node?.[name]
  if (!Array.isArray(value)) return []
  // Elements without attributes parse to their text ('' when empty, as <readonly/>): wrapped, so
  // every element is a node.
  return value.map((item: unknown): LibvirtXmlNode => {
    if (typeof item === 'object' && item !== null) return item as LibvirtXmlNode
    return typeof item === 'string' && item !== '' ? { '#text': item } : {}
  })
}

export function child(
  node: LibvirtXmlNode | undefined,
  ...path: string[]
): LibvirtXmlNode | undefined {
  let current = node
  for (const name of path) current = children(current, name)[0]
  return current
}

export function attribute(node: LibvirtXmlNode | undefined, name: string): string | undefined {
  return node?.['@']?.[name]
}

/** The text of an element; `<name>x</name>` parses to a text-only node or to the string itself. */
export function text(node: LibvirtXmlNode | undefined): string | undefined {
  return node?.['#text']
}

/** The text of the named child (`childText(domain, 'name')`); '' when it is empty. */
export function childText(node: LibvirtXmlNode | undefined, ...path: string[]): string | undefined {
  const found = child(node, ...path)
  return found === undefined ? undefined : (text(found) ?? '')
}

const UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  bytes: 1,
  kb: 1000,
  k: 1024,
  kib: 1024,
  mb: 1000 ** 2,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1000 ** 3,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  tb: 1000 ** 4,
  t: 1024 ** 4,
  tib: 1024 ** 4,
}

/**
 * A size element (`<memory unit='MiB'>512</memory>`, `<capacity unit='bytes'>…`) in bytes;
 * libvirt's default unit differs by element, so the caller says it.
 */
export function sizeInBytes(node: LibvirtXmlNode | undefined, defaultUnit: string): number | null {
  const value = text(node)
  if (value === undefined || !/^\d+$/.test(value)) return null
  const factor = UNIT_BYTES[(attribute(node, 'unit') ?? defaultUnit).toLowerCase()]
  return factor === undefined ? null : Number(value) * factor
}
