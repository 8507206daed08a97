// Two sets of file rules as one: the file-integrity rules a node is given and the rules its
// policies need (collectionSpecFor). Where both name one path, the rule takes both's wishes.
import { attributesOf, type FileAttribute, type FileRule, type FileRules } from './file-rules.js'

/**
 * The integrity rules (`base`) decide the walk's global settings; `extra` adds paths, content
 * and collectors.
 *
 * @example mergeFileRules(LIVE_HOST_RULES, collectionSpecFor(policies))
 */
export function mergeFileRules(base: FileRules, extra: FileRules): FileRules {
  const byPath = new Map<string, FileRule>()
  for (const rule of [...base.rules, ...extra.rules]) {
    const existing = byPath.get(rule.path)
    byPath.set(rule.path, existing === undefined ? rule : mergeRule(existing, rule))
  }
  return {
    version: 1,
    collect: [...new Set([...base.collect, ...extra.collect])],
    oneFilesystem: base.oneFilesystem,
    contentMaxBytes: Math.max(base.contentMaxBytes, extra.contentMaxBytes),
    exclude: base.exclude,
    contentExclude: [...new Set([...base.contentExclude, ...extra.contentExclude])],
    rules: [...byPath.values()],
  }
}

function mergeRule(a: FileRule, b: FileRule): FileRule {
  const attributes = new Set<FileAttribute>([...attributesOf(a), ...attributesOf(b)])
  return {
    path: a.path,
    attributes: [...attributes],
    // Left out only where both leave it out: neither rule loses what it asked for.
    exclude: a.exclude.filter((glob) => b.exclude.includes(glob)),
    content: [...new Set([...a.content, ...b.content])],
    recurse: a.recurse || b.recurse,
  }
}
