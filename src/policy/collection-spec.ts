// The collection spec a set of policies needs: the files whose content tests read (with content),
// the files `file` checks name (attributes only), and the system collectors. Derived from the
// policies, so a new policy needs no change to what any agent collects.
import { fileRule, SYSTEM_COLLECTORS, type FileRule, type FileRules } from '../collect/index.js'
import type { Check, ElementCheck, Policy } from './policy.js'
import { relatedGlobs } from './related-elements.js'

/** The directory part of a path up to its first glob character. */
function globBase(path: string): string {
  const first = path.search(/[*?[{]/)
  if (first === -1) return path
  return path.slice(0, path.lastIndexOf('/', first)) || '/'
}

function filesNamed(check: Check | ElementCheck, into: Set<string>): void {
  if ('all' in check) for (const sub of check.all) filesNamed(sub, into)
  else if ('any' in check) for (const sub of check.any) filesNamed(sub, into)
  else if ('none' in check) for (const sub of check.none) filesNamed(sub, into)
  else if ('file' in check) into.add(check.file.path)
  else if ('content' in check) into.add(check.content.path)
  else if ('setting' in check) into.add(check.setting.file)
  else if ('element' in check && check.element.key.startsWith('file:'))
    into.add(check.element.key.slice(5))
  else if ('forEach' in check) {
    for (const glob of [check.forEach.elements, ...relatedGlobs(check.forEach)])
      if (glob.startsWith('file:')) into.add(glob.slice(5))
  }
}

/**
 * @example collectionSpecFor([debianBaseline]) // rules for /etc/ssh/sshd_config (content) …, every collector
 */
export function collectionSpecFor(policies: readonly Policy[]): FileRules {
  const withContent = new Set<string>()
  const named = new Set<string>()
  for (const policy of policies) {
    for (const path of policy.reads) withContent.add(path)
    for (const test of policy.tests) {
      filesNamed(test.check, named)
      if (test.applies?.when !== undefined) filesNamed(test.applies.when, named)
    }
  }
  const rules = new Map<string, FileRule>()
  const add = (path: string, withItsContent: boolean): void => {
    const base = globBase(path)
    const isGlob = base !== path
    const existing = rules.get(base)
    const keep = withItsContent ? [path] : []
    const content = [...(existing?.content ?? []), ...keep]
    rules.set(
      base,
      fileRule({
        path: base,
        recurse: isGlob || (existing?.recurse ?? false),
        content,
        // Files only looked at for who owns them and their mode are not hashed: a policy on
        // /var/lib/libvirt/images must not read terabytes of guest disks.
        attributes:
          content.length > 0 ? 'all' : ['type', 'mode', 'uid', 'gid', 'size', 'rdev', 'target'],
      }),
    )
  }
  for (const path of named) add(path, withContent.has(path))
  for (const path of withContent) add(path, true)
  // Nested rule paths are fine (the most specific governs); one rule per base path.
  return {
    version: 1,
    collect: SYSTEM_COLLECTORS,
    oneFilesystem: true,
    contentMaxBytes: 1024 * 1024,
    exclude: [],
    contentExclude: [],
    rules: [...rules.values()],
  }
}
