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

export class EvaluationContext {
  private readonly parsed = new Map<string, ParsedConfig | undefined>()
  private readonly files: ConfigFiles

  constructor(
    readonly elements: ReadonlyMap<string, Element>,
    readonly node: NodeFacts,
  ) {
    this.files = {
      read: (path) => this.content(path),
      list: (glob) => {
        const matches = picomatch(glob, { dot: true })
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
    // In file keys `*` stops at `/`, as in paths; in other keys (`sudo-rule:alice ALL=(root)
    // /usr/bin/apt`, `ssh-key:root:SHA256:a/b…`) a slash is just a character.
    const paths = glob.startsWith('file:')
    const slashless = (text: string): string => (paths ? text : text.replaceAll('/', '\u2215'))
    const matches = picomatch(slashless(glob), { dot: true })
    return [...this.elements.values()]
      .filter((element) => matches(slashless(element.key)))
      .sort((a, b) => (a.key < b.key ? -1 : 1))
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
  osIds(): string[] {
    const release = this.elements.get('os:release')?.attributes
    if (release === undefined) return []
    return [release['id'], ...String(release['idLike'] ?? '').split(/[\s,]+/)]
      .filter((value): value is string => typeof value === 'string' && value !== '')
      .map((value) => value.toLowerCase())
  }
}
