// Element: one configuration item with a stable key and typed attributes (DESIGN.md, Concepts).
import { hash } from 'node:crypto'

export type AttributeValue = string | number | boolean | null
export type Attributes = Readonly<Record<string, AttributeValue>>

export interface Element {
  /** Stable key, `kind:identifier`, e.g. `file:/etc/ssh/sshd_config`. */
  readonly key: string
  readonly attributes: Attributes
  /** Text content, kept for small text config files selected by the rules. */
  readonly content?: string
  /** Attributes that could not be read this time (e.g. sha256 of an unreadable file). */
  readonly unverified?: readonly string[]
}

/**
 * Attributes that describe another attribute and never count as a change on their own:
 * `user` is the name of `uid` where known, `group` the name of `gid`.
 */
export const DESCRIPTIVE_ATTRIBUTES: Readonly<Record<string, string>> = {
  user: 'uid',
  group: 'gid',
}

/** The order attributes are shown in; others follow alphabetically. */
const ATTRIBUTE_ORDER = [
  'type',
  'mode',
  'uid',
  'user',
  'gid',
  'group',
  'size',
  'mtime',
  'ctime',
  'inode',
  'nlink',
  'rdev',
  'target',
  'sha256',
]

/** Sorts attribute names into display order. */
export function orderAttributeNames(names: Iterable<string>): string[] {
  const rank = (name: string): number => {
    const index = ATTRIBUTE_ORDER.indexOf(name)
    return index === -1 ? ATTRIBUTE_ORDER.length : index
  }
  return [...names].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * Serializes attributes canonically: keys in display order ({@link orderAttributeNames}), so equal
 * attributes give equal strings. Collectors that build attributes in that order (the file
 * collector does) take the fast path.
 *
 * @example serializeAttributes({ mode: '0644', type: 'file' }) // '{"type":"file","mode":"0644"}'
 */
export function serializeAttributes(attributes: Attributes): string {
  const keys = Object.keys(attributes)
  if (isInDisplayOrder(keys)) return JSON.stringify(attributes)
  const ordered: Record<string, AttributeValue> = {}
  for (const key of orderAttributeNames(keys)) ordered[key] = attributes[key] as AttributeValue
  return JSON.stringify(ordered)
}

function isInDisplayOrder(keys: readonly string[]): boolean {
  let previous = -1
  for (const key of keys) {
    const rank = ATTRIBUTE_ORDER.indexOf(key)
    if (rank <= previous) return false
    previous = rank
  }
  return true
}

export function parseAttributes(serialized: string): Attributes {
  return JSON.parse(serialized) as Attributes
}

/**
 * An element as collectors hand it over: attributes already serialized, so a check compares
 * strings and a baseline stores them without another pass.
 */
export interface SerializedElement {
  readonly key: string
  /** {@link serializeAttributes} of the attributes. */
  readonly attributes: string
  /** {@link attributesDigest} of `attributes`. */
  readonly digest: string
  readonly content?: string | undefined
  /** SHA-256 of the content, where content is kept. */
  readonly contentSha256?: string | undefined
  readonly unverified?: readonly string[] | undefined
}

/**
 * A short digest of serialized attributes: the first 128 bits of their SHA-256, base64. A check
 * compares digests, so it holds 22 characters per baseline element instead of all attributes;
 * 128 bits of SHA-256 leave no practical way to craft a changed state with the same digest.
 *
 * @example attributesDigest('{"type":"file"}') // 'wOyGO0uPDyEYdqNlJjrbAw'
 */
export function attributesDigest(serializedAttributes: string): string {
  return hash('sha256', serializedAttributes, 'base64').slice(0, 22)
}

export function serializeElement(element: Element): SerializedElement {
  const sha256 = element.attributes['sha256']
  const attributes = serializeAttributes(element.attributes)
  return {
    key: element.key,
    attributes,
    digest: attributesDigest(attributes),
    ...(element.content === undefined ? {} : { content: element.content }),
    ...(element.content !== undefined && typeof sha256 === 'string'
      ? { contentSha256: sha256 }
      : {}),
    ...(element.unverified === undefined ? {} : { unverified: element.unverified }),
  }
}

export function deserializeElement(element: SerializedElement): Element {
  return {
    key: element.key,
    attributes: parseAttributes(element.attributes),
    ...(element.content === undefined ? {} : { content: element.content }),
    ...(element.unverified === undefined ? {} : { unverified: element.unverified }),
  }
}

/** `file:/etc/passwd` from a display path. */
export function fileKey(displayPath: string): string {
  return `file:${displayPath}`
}
