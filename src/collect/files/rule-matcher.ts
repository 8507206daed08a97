// Decides, for each path a walk meets, which rule governs it, whether it is excluded, which
// attributes to record and whether to keep its content.
import picomatch from 'picomatch'
import { escapeRawPath, unescapeToRawPath } from '../../model/index.js'
import { SECRET_PATHS } from './secret-paths.js'
import { attributesOf, type FileAttribute, type FileRule, type FileRules } from './file-rules.js'

type Matcher = (path: string) => boolean

const NEVER: Matcher = () => false

function compile(patterns: readonly string[]): Matcher {
  return patterns.length === 0 ? NEVER : picomatch([...patterns], { dot: true })
}

export interface CompiledRule {
  /** Position in the rules file: also the index of its attribute set in the hash workers. */
  readonly index: number
  readonly rule: FileRule
  /** The rule's path without a trailing slash ('' for `/`). */
  readonly base: string
  readonly attributes: ReadonlySet<FileAttribute>
  readonly excluded: Matcher
  readonly keepsContent: Matcher
}

export class RuleMatcher {
  readonly rules: readonly CompiledRule[]
  private readonly globalExclude: Matcher
  private readonly contentExclude: Matcher
  /** Rules, most specific (longest path) first. */
  private readonly bySpecificity: readonly CompiledRule[]

  constructor(readonly fileRules: FileRules) {
    this.globalExclude = compile(fileRules.exclude)
    this.contentExclude = compile([...SECRET_PATHS, ...fileRules.contentExclude])
    this.rules = fileRules.rules.map((rule, index) => ({
      index,
      rule,
      // Compared with paths as they are shown, so written the way they are shown.
      base: escapeRawPath(unescapeToRawPath(rule.path)).replace(/\/+$/, ''),
      attributes: new Set(attributesOf(rule)),
      excluded: compile(rule.exclude),
      keepsContent: compile(rule.content),
    }))
    this.bySpecificity = [...this.rules].sort((a, b) => b.base.length - a.base.length)
  }

  /** The most specific rule whose path holds `path`. */
  ruleFor(path: string): CompiledRule | undefined {
    for (const compiled of this.bySpecificity) {
      if (compiled.base === '' || path === compiled.base || path.startsWith(`${compiled.base}/`)) {
        return compiled
      }
    }
    return undefined
  }

  /** Whether another, more specific rule starts at `path` (so the walk of `owner` stops here). */
  startsOtherRule(path: string, owner: CompiledRule): boolean {
    const governing = this.ruleFor(path)
    return governing !== undefined && governing !== owner && governing.base === path
  }

  isExcluded(path: string, rule: CompiledRule): boolean {
    return this.globalExclude(path) || rule.excluded(path)
  }

  keepsContent(path: string, rule: CompiledRule): boolean {
    return rule.keepsContent(path) && !this.contentExclude(path)
  }
}
