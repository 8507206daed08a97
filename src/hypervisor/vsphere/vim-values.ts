// Reading vim25 data objects out of parsed SOAP: typed scalars, OptionValue lists (advanced
// settings, a VM's extraConfig) and the canonical JSON a VM's configuration is kept as.
import type { AttributeValue } from '../../model/index.js'
import { children, childText, text, xsiType, type XmlNode } from './soap-xml.js'

const NUMERIC_TYPES = new Set(['int', 'long', 'short', 'byte', 'float', 'double'])

/** A scalar by its xsi:type: xsd:boolean and the numeric types become booleans and numbers. */
export function typedValue(node: XmlNode | undefined): AttributeValue {
  const value = text(node)
  if (node === undefined || value === undefined) return null
  const type = xsiType(node)
  if (type === 'boolean') return value === 'true'
  if (type !== undefined && NUMERIC_TYPES.has(type)) {
    const number = Number(value)
    // A long beyond 2^53 stays text rather than silently losing digits.
    if (Number.isFinite(number) && (!Number.isInteger(number) || Number.isSafeInteger(number))) {
      return number
    }
  }
  return value
}

export function booleanOf(value: string | undefined): boolean | null {
  return value === undefined ? null : value === 'true'
}

export function numberOf(value: string | undefined): number | null {
  if (value === undefined || value === '') return null
  const number = Number(value)
  return Number.isFinite(number) ? number : null
}

export interface OptionSetting {
  readonly key: string
  readonly value: AttributeValue
}

/**
 * The `key`/`value` pairs of OptionValue elements (`<setting>`, `<extraConfig>`,
 * `<OptionValue>` — whatever the list's element is called in the answer).
 */
export function readOptionValues(nodes: readonly XmlNode[]): OptionSetting[] {
  const settings: OptionSetting[] = []
  for (const node of nodes) {
    const key = childText(node, 'key')
    if (key === undefined || key === '') continue
    settings.push({ key, value: typedValue(children(node, 'value')[0]) })
  }
  return settings
}

/** Configuration members that change on every edit and say nothing about the configuration. */
const BOOKKEEPING = new Set(['changeVersion', 'modified'])

/**
 * A data object as canonical JSON: members sorted by name (vim25 member order is the schema's,
 * which carries no meaning), lists in their order, the concrete type of polymorphic members as
 * `"@type"` (a VirtualVmxnet3 and a VirtualE1000 NIC differ only by it), indented so that a
 * line diff shows what changed.
 */
export function canonicalJson(node: XmlNode): string {
  return `${JSON.stringify(toPlain(node, true), null, 2)}\n`
}

/**
 * Members that are lists even when they hold one item (XML cannot tell), so that a VM's second
 * NIC shows as one more list item, not as a member that turned from an object into a list.
 */
const LIST_MEMBERS = new Set(['device', 'extraConfig', 'datastoreUrl'])

type Plain = string | Plain[] | { [name: string]: Plain }

function toPlain(node: XmlNode, topLevel = false): Plain {
  const type = xsiType(node)
  const members = Object.keys(node)
    .filter((name) => !name.startsWith('@_') && name !== '#text')
    .filter((name) => !(topLevel && BOOKKEEPING.has(name)))
    .sort()
  if (members.length === 0) {
    const value = text(node) ?? ''
    return type === undefined || isScalarType(type)
      ? value
      : { '@type': type, ...(value === '' ? {} : { '#text': value }) }
  }
  const plain: { [name: string]: Plain } = {}
  if (type !== undefined && !isScalarType(type)) plain['@type'] = type
  for (const name of members) {
    const values = children(node, name)
    plain[name] =
      Array.isArray(node[name]) || LIST_MEMBERS.has(name)
        ? values.map((value) => toPlain(value))
        : toPlain(values[0] ?? {})
  }
  return plain
}

function isScalarType(type: string): boolean {
  return type === 'string' || type === 'boolean' || NUMERIC_TYPES.has(type) || type === 'dateTime'
}
