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
  /**
   * The rule of each path a rule starts at (the first, where several do). The walk asks about
   * every entry: a lookup per ancestor instead of a comparison with every rule.
   */
  private readonly byBase = new Map<string, CompiledRule>()

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
    for (const compiled of this.rules) {
      if (!this.byBase.has(compiled.base)) this.byBase.set(compiled.base, compiled)
    }
  }

  /** The most specific rule whose path holds `path`. */
  ruleFor(path: string): CompiledRule | undefined {
    for (let base = path; ; base = base.slice(0, base.lastIndexOf('/'))) {
      const compiled = this.byBase.get(base)
      if (compiled !== undefined) return compiled
      if (base === '') return undefined
    }
  }

  /** Whether another, more specific rule starts at `path` (so the walk of `owner` stops here). */
  startsOtherRule(path: string, owner: CompiledRule): boolean {
    // A rule that starts at `path` is the most specific one there is.
    const governing = this.byBase.get(path)
    return governing !== undefined && governing !== owner
  }

  isExcluded(path: string, rule: CompiledRule): boolean {
    return this.globalExclude(path) || rule.excluded(path)
  }

  keepsContent(path: string, rule: CompiledRule): boolean {
    return rule.keepsContent(path) && !this.contentExclude(path)
  }
}
