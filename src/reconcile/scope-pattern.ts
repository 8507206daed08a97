// The patterns of a ticket's scope, compiled once: node selectors (`name:`, `tag:`, `group:`) and
// element patterns (`kind:GLOB`), with the literal prefix the ticket index files them under.
import picomatch from 'picomatch'

/** What reconciliation knows about the node a change was seen on. */
export interface ScopedNode {
  readonly name: string
  readonly tags: readonly string[]
  readonly groups: readonly string[]
}

export type NodeSelectorKind = 'name' | 'tag' | 'group'

export interface NodeSelector {
  readonly source: string
  readonly kind: NodeSelectorKind
  readonly value: string
  /** A name without glob characters: compared as a string and indexed by it. */
  readonly literal: boolean
  /** The characters of a name glob before its first glob character. */
  readonly prefix: string
  /** Higher is narrower: an exact name beats a name glob, which beats a group, then a tag. */
  readonly specificity: number
  matches(node: ScopedNode): boolean
}

export interface ElementPattern {
  readonly source: string
  /** The key's kind: `file`, `package` … */
  readonly kind: string
  /** The identifier part of a key (after `kind:`) before the first glob character. */
  readonly prefix: string
  readonly literal: boolean
  /** Higher is narrower: an exact key first, then the longer literal prefix. */
  readonly specificity: number
  /** Whether the pattern matches a key's identifier (the key without `kind:`). */
  matches(identifier: string): boolean
}

const GLOB_CHARACTERS = /[*?[\]{}()!+@\\]/
const ELEMENT_KIND = /^[a-z][a-z0-9-]*$/
/** A slash inside an identifier that is not a path (`port:tcp/22`) must not stop a `*`. */
const DIVISION_SLASH = '\u2215'

function literalPrefix(glob: string): string {
  const first = glob.search(GLOB_CHARACTERS)
  return first === -1 ? glob : glob.slice(0, first)
}

/**
 * A compiled glob. Each regular expression V8 runs is compiled to machine code on its first runs,
 * which costs far more than matching; with thousands of tickets that dominated reconciliation, so
 * equal globs share one expression and the commonest shapes need none.
 */
function globTest(glob: string, slashIsSeparator: boolean): (text: string) => boolean {
  const cacheKey = `${slashIsSeparator ? 'p' : 's'}${glob}`
  let test = globCache.get(cacheKey)
  if (test !== undefined) return test
  const star = glob.indexOf('*')
  const prefix = glob.slice(0, star)
  const simple = star !== -1 && !GLOB_CHARACTERS.test(prefix)
  if (simple && star === glob.length - 1)
    test = (text) => text.startsWith(prefix) && !(slashIsSeparator && text.includes('/', star))
  else if (simple && slashIsSeparator && glob.endsWith('/**') && star === glob.length - 2) {
    // `/etc/nginx/**`: the directory itself and everything under it.
    const directory = glob.slice(0, -3)
    test = (text) => text.startsWith(prefix) || text === directory
  } else {
    const source = slashIsSeparator ? glob : glob.replaceAll('/', DIVISION_SLASH)
    const regex = picomatch.makeRe(source, { dot: true })
    test = slashIsSeparator
      ? (text) => regex.test(text)
      : (text) => regex.test(text.replaceAll('/', DIVISION_SLASH))
  }
  // Tickets come and go for the life of a console; the cache only has to hold today's.
  if (globCache.size >= 100_000) globCache.clear()
  globCache.set(cacheKey, test)
  return test
}
const globCache = new Map<string, (text: string) => boolean>()

/**
 * Compiles a node selector; throws an Error whose message says what is wrong.
 *
 * @example compileNodeSelector('name:web-*').matches({ name: 'web-01', tags: [], groups: [] }) // true
 */
export function compileNodeSelector(source: string): NodeSelector {
  const colon = source.indexOf(':')
  const kind = source.slice(0, colon)
  const value = source.slice(colon + 1)
  if (colon === -1 || (kind !== 'name' && kind !== 'tag' && kind !== 'group'))
    throw new Error(`'${source}' is not name:GLOB, tag:TAG or group:NAME`)
  if (value.length === 0) throw new Error(`'${source}' names nothing after '${kind}:'`)
  if (kind === 'tag' || kind === 'group') {
    const list = kind === 'tag' ? 'tags' : 'groups'
    return {
      source,
      kind,
      value,
      literal: true,
      prefix: value,
      specificity: kind === 'group' ? 2 : 1,
      matches: (node) => node[list].includes(value),
    }
  }
  const prefix = literalPrefix(value)
  const literal = prefix === value
  const glob = literal ? undefined : globTest(value, true)
  return {
    source,
    kind,
    value,
    literal,
    prefix,
    specificity: literal ? 4 : 3,
    matches: glob === undefined ? (node) => node.name === value : (node) => glob(node.name),
  }
}

/**
 * Compiles an element pattern; throws an Error whose message says what is wrong. In `file:`
 * patterns `*` stays within a directory and `**` crosses them; in other kinds `/` is an ordinary
 * character (`port:tcp/*` matches `port:tcp/22`).
 *
 * @example compileElementPattern('file:/etc/nginx/**').matches('/etc/nginx/nginx.conf') // true
 */
export function compileElementPattern(source: string): ElementPattern {
  const colon = source.indexOf(':')
  const kind = source.slice(0, colon)
  const glob = source.slice(colon + 1)
  if (colon === -1 || !ELEMENT_KIND.test(kind))
    throw new Error(`'${source}' is not kind:GLOB (file:/etc/nginx/**, package:nginx*, service:*)`)
  if (glob.length === 0) throw new Error(`'${source}' has no pattern after '${kind}:'`)
  // A negation would turn "these elements" into "everything else": a scope names what it covers.
  if (glob.startsWith('!')) throw new Error(`'${source}': a scope cannot be a negation`)
  const prefix = literalPrefix(glob)
  const literal = prefix === glob
  let matches: (identifier: string) => boolean
  if (literal) matches = (identifier) => identifier === glob
  else matches = globTest(glob, kind === 'file')
  return {
    source,
    kind,
    prefix,
    literal,
    specificity: literal ? 1_000_000 + glob.length : prefix.length,
    matches,
  }
}

/** `file` and `/etc/hosts` from `file:/etc/hosts`; a key without a colon has an empty kind. */
export function splitKey(key: string): { kind: string; identifier: string } {
  const colon = key.indexOf(':')
  return colon === -1
    ? { kind: '', identifier: key }
    : { kind: key.slice(0, colon), identifier: key.slice(colon + 1) }
}
