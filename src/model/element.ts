// Element: one configuration item with a stable key and typed attributes (DESIGN.md, Concepts).

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
 * Serializes attributes canonically (keys sorted), so equal attributes give equal strings.
 *
 * @example serializeAttributes({ mode: '0644', type: 'file' }) // '{"mode":"0644","type":"file"}'
 */
export function serializeAttributes(attributes: Attributes): string {
  const keys = Object.keys(attributes).sort()
  const sorted: Record<string, AttributeValue> = {}
  for (const key of keys) sorted[key] = attributes[key] as AttributeValue
  return JSON.stringify(sorted)
}

export function parseAttributes(serialized: string): Attributes {
  return JSON.parse(serialized) as Attributes
}

/** `file:/etc/passwd` from a display path. */
export function fileKey(displayPath: string): string {
  return `file:${displayPath}`
}
