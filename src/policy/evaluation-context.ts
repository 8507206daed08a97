// What a check sees of a snapshot: its elements by key, the content kept for files, config files
// parsed once and shared between tests, and facts about the node (kind, tags, live or not).
import picomatch from 'picomatch'
import type { Element } from '../model/index.js'
import type { NodeKind } from './policy.js'
import type { ConfigFiles, ParsedConfig } from './parsers/config-parser.js'
import { CONFIG_PARSERS } from './parsers/index.js'

export interface NodeFacts {
  readonly kind: NodeKind
  readonly tags: readonly string[]
  /** Readings of a running system (ports, runtime sysctls) exist. */
  readonly live: boolean
}

/** What an element check may look at besides the element it visits. */
export interface ElementScope {
  /** An element by key: the one an `of` template names. */
  element(key: string): Element | undefined
  /** The time of the assessment, in epoch milliseconds: what `withinDays` measures from. */
  readonly now: number
}

export class EvaluationContext implements ElementScope {
  private readonly parsed = new Map<string, ParsedConfig | undefined>()
  private readonly files: ConfigFiles
  readonly now: number

  constructor(
    readonly elements: ReadonlyMap<string, Element>,
    readonly node: NodeFacts,
    now: Date,
  ) {
    this.now = now.getTime()
    this.files = {
      read: (path) => this.content(path),
      list: (glob) => {
        // As the programs that expand include globs (sshd, sudo): `*` does not match a dot file.
        const matches = picomatch(glob, { dot: false })
        const paths: string[] = []
        for (const key of this.elements.keys()) {
          if (key.startsWith('file:') && matches(key.slice(5))) paths.push(key.slice(5))
        }
        return paths.sort()
      },
    }
  }

  element(key: string): Element | undefined {
    return this.elements.get(key)
  }

  /** Elements whose key matches a glob (`user:*`), sorted by key. */
  matching(glob: string): Element[] {
    // Only keys that start with the glob's literal prefix can match: a binary search over the
    // sorted keys finds them, so `user:*` never looks at the thousands of file elements.
    const prefix = literalPrefix(glob)
    const keys = this.sortedKeys()
    let low = 0
    let high = keys.length
    while (low < high) {
      const middle = (low + high) >> 1
      if ((keys[middle] as string) < prefix) low = middle + 1
      else high = middle
    }
    const found: Element[] = []
    // Compiled only when some key could match: a package check asks `package:NAME:*` of every
    // package it names, and most are not there.
    let matches: ((key: string) => boolean) | undefined
    for (
      let index = low;
      index < keys.length && (keys[index] as string).startsWith(prefix);
      index++
    ) {
      const key = keys[index] as string
      matches ??= compiledGlob(glob)
      if (matches(key)) found.push(this.elements.get(key) as Element)
    }
    return found
  }

  private keys: string[] | undefined

  private sortedKeys(): string[] {
    this.keys ??= [...this.elements.keys()].sort()
    return this.keys
  }

  /** Kept content of a file; undefined when the file is absent or its content was not kept. */
  content(path: string): string | undefined {
    return this.elements.get(`file:${path}`)?.content
  }

  /** The file parsed by a config parser, once per snapshot; undefined when its content is not at hand. */
  config(parser: string, path: string): ParsedConfig | undefined {
    const cacheKey = `${parser}\u0000${path}`
    if (this.parsed.has(cacheKey)) return this.parsed.get(cacheKey)
    const text = this.content(path)
    const configParser = CONFIG_PARSERS[parser]
    const result =
      text === undefined || configParser === undefined
        ? undefined
        : configParser.parse(path, text, this.files)
    this.parsed.set(cacheKey, result)
    return result
  }

  /** The os-release ID and ID_LIKE values of the node. */
  osIds(): readonly string[] {
    // Asked by every test with an `os` applicability: worked out once per snapshot.
    this.os ??= this.readOsIds()
    return this.os
  }

  private os: readonly string[] | undefined

  private readOsIds(): string[] {
    const release = this.elements.get('os:release')?.attributes
    if (release === undefined) return []
    return [release['id'], ...String(release['idLike'] ?? '').split(/[\s,]+/)]
      .filter((value): value is string => typeof value === 'string' && value !== '')
      .map((value) => value.toLowerCase())
  }
}

const GLOB_CHARACTERS = /[*?[\]{}()!+@\\]/

/** The part of a glob before its first special character. */
function literalPrefix(glob: string): string {
  const index = glob.search(GLOB_CHARACTERS)
  return index === -1 ? glob : glob.slice(0, index)
}

const compiled = new Map<string, (key: string) => boolean>()

/**
 * A compiled glob over element keys, cached: in file keys `*` stops at `/`, as in paths; in other
 * keys (`sudo-rule:alice ALL=(root) /usr/bin/apt`, `ssh-key:root:SHA256:a/b…`) a slash is just a
 * character.
 */
function compiledGlob(glob: string): (key: string) => boolean {
  let matcher = compiled.get(glob)
  if (matcher === undefined) {
    if (glob.startsWith('file:')) {
      matcher = picomatch(glob, { dot: true })
    } else {
      const inner = picomatch(glob.replaceAll('/', '\u2215'), { dot: true })
      matcher = (key) => inner(key.replaceAll('/', '\u2215'))
    }
    compiled.set(glob, matcher)
  }
  return matcher
}
