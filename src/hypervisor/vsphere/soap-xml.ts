// SOAP 1.1 envelopes for the vSphere Web Services API (vim25): requests are written by hand in
// the schema's element order (vCenter rejects members out of order); answers are parsed with
// fast-xml-parser into plain nodes, read through the small accessors below.
import { XMLParser, XMLValidator } from 'fast-xml-parser'

/** One parsed element: child elements by local name, `#text`, attributes as `@_name`. */
export interface XmlNode {
  readonly [name: string]: XmlNode | readonly XmlNode[] | string | undefined
}

/** What a request element holds: text, other elements, or a list of them. */
export type XmlContent = string | number | boolean | XmlElement | readonly XmlContent[] | undefined

export interface XmlElement {
  readonly name: string
  /** `xsi:type`, for members whose declared type is a base type (OptionValue values, specs …). */
  readonly xsiType?: string | undefined
  /** `type`, as managed object references carry it. */
  readonly type?: string | undefined
  readonly content?: XmlContent
}

/**
 * @example element('_this', 'ServiceInstance', { type: 'ServiceInstance' })
 */
export function element(
  name: string,
  content?: XmlContent,
  attributes: { readonly xsiType?: string; readonly type?: string } = {},
): XmlElement {
  return { name, content, ...attributes }
}

/** A managed object reference as a request argument (`_this`, `obj`, `container` …). */
export function referenceElement(name: string, reference: ManagedObjectReference): XmlElement {
  return element(name, reference.value, { type: reference.type })
}

export interface ManagedObjectReference {
  readonly type: string
  readonly value: string
}

/** Serializes request content; undefined members are left out, as optional members must be. */
export function serializeXml(content: XmlContent): string {
  if (content === undefined) return ''
  if (typeof content === 'string') return escapeXml(content)
  if (typeof content === 'number' || typeof content === 'boolean') return String(content)
  if (isContentList(content)) return content.map(serializeXml).join('')
  const attributes =
    (content.xsiType === undefined ? '' : ` xsi:type="${escapeXml(content.xsiType)}"`) +
    (content.type === undefined ? '' : ` type="${escapeXml(content.type)}"`)
  return `<${content.name}${attributes}>${serializeXml(content.content)}</${content.name}>`
}

function isContentList(content: XmlContent): content is readonly XmlContent[] {
  return Array.isArray(content)
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

/** The whole request document for one method call. */
export function soapEnvelope(method: string, args: XmlContent): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema"' +
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body><${method} xmlns="urn:vim25">${serializeXml(args)}</${method}>` +
    '</soapenv:Body></soapenv:Envelope>'
  )
}

/** A SOAP answer that is not a well-formed vim25 envelope. */
export class MalformedSoapError extends Error {
  override readonly name = 'MalformedSoapError'
}

/** A SOAP fault: the server understood the call and refused it. */
export interface SoapFault {
  /** The vim25 fault type (`InvalidLogin`, `NotAuthenticated` …), or the SOAP faultcode. */
  readonly faultType: string
  readonly message: string
}

export type SoapAnswer =
  | { readonly kind: 'result'; readonly response: XmlNode }
  | { readonly kind: 'fault'; readonly fault: SoapFault }

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Values stay text: names such as "0001" or "1e3" must not turn into numbers; typed values are
  // converted by their xsi:type where they are read.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  alwaysCreateTextNode: true,
  // htmlEntities also decodes numeric character references, which the XML entities alone do not.
  processEntities: true,
  htmlEntities: true,
  transformTagName: (name) => localName(name),
})

/**
 * Parses one answer to `method`: the `<method>Response` element, or the fault.
 *
 * @throws MalformedSoapError when the text is not a well-formed SOAP envelope.
 */
export function parseSoapAnswer(xml: string, method: string): SoapAnswer {
  // vCenter never sends a document type; one here could only declare entities to expand.
  if (/<!DOCTYPE/i.test(xml)) throw new MalformedSoapError('the answer declares a document type')
  const validation = XMLValidator.validate(xml)
  if (validation !== true) {
    const { msg, line, col } = validation.err
    throw new MalformedSoapError(`not well-formed XML at line ${line}, column ${col}: ${msg}`)
  }
  const body = child(child(parser.parse(xml) as XmlNode, 'Envelope'), 'Body')
  if (body === undefined) throw new MalformedSoapError('no SOAP Envelope/Body')
  const fault = child(body, 'Fault')
  if (fault !== undefined) return { kind: 'fault', fault: readFault(fault) }
  const response = child(body, `${method}Response`)
  if (response === undefined) throw new MalformedSoapError(`no ${method}Response in the SOAP body`)
  return { kind: 'result', response }
}

function readFault(fault: XmlNode): SoapFault {
  const message = childText(fault, 'faultstring') ?? ''
  const detail = child(fault, 'detail')
  // The detail holds one element, `<InvalidLoginFault xsi:type="InvalidLogin">`.
  for (const [name, value] of Object.entries(detail ?? {})) {
    if (name.startsWith('@_') || name === '#text' || value === undefined) continue
    const node = (Array.isArray(value) ? value[0] : value) as XmlNode | undefined
    const faultType = (node && xsiType(node)) ?? name.replace(/Fault$/, '')
    return { faultType, message }
  }
  return { faultType: localName(childText(fault, 'faultcode') ?? 'ServerFaultCode'), message }
}

function localName(name: string): string {
  const colon = name.indexOf(':')
  return colon === -1 ? name : name.slice(colon + 1)
}

/** Every child element with this local name, in document order. */
export function children(node: XmlNode | undefined, name: string): readonly XmlNode[] {
  const value = node?.[name]
  if (value === undefined || typeof value === 'string') return []
  return Array.isArray(value) ? (value as readonly XmlNode[]) : [value as XmlNode]
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return children(node, name)[0]
}

/** The element's text; undefined when the element is absent. */
export function text(node: XmlNode | undefined): string | undefined {
  const value = node?.['#text']
  return typeof value === 'string' ? value : undefined
}

export function childText(node: XmlNode | undefined, name: string): string | undefined {
  return text(child(node, name))
}

/** The local part of the element's `xsi:type` (`VirtualDisk`, `string`, `int` …). */
export function xsiType(node: XmlNode): string | undefined {
  for (const [name, value] of Object.entries(node)) {
    if (name.startsWith('@_') && name.endsWith(':type') && typeof value === 'string') {
      return localName(value)
    }
  }
  return undefined
}

/** A managed object reference as answers carry it: `<obj type="VirtualMachine">vm-42</obj>`. */
export function readReference(node: XmlNode | undefined): ManagedObjectReference | undefined {
  const value = text(node)
  const type = node?.['@_type']
  if (value === undefined || typeof type !== 'string') return undefined
  return { type, value }
}
