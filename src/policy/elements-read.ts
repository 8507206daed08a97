// The system elements a set of policies reads: every key and key glob their checks and
// applicability look up, as evaluate-check.ts and assessment.ts look them up. Collecting only
// these gives the same verdicts as collecting everything, in a fraction of the time.
import { ElementSelection } from '../collect/index.js'
import type { Applicability, Check, Policy } from './policy.js'
import { relatedGlobs } from './related-elements.js'

/** Accounts checks (uid 0, empty passwords, login shells, group members) go through every user. */
const USERS = 'user:*'

/**
 * `extra` names keys read outside the checks (the assessment names the node by `os:hostname`).
 *
 * @example elementsRead([debianBaseline]).keysUnder('sysctl:') // ['net.ipv4.ip_forward', …]
 */
export function elementsRead(
  policies: readonly Policy[],
  extra: readonly string[] = [],
): ElementSelection {
  const keys = new Set(extra)
  const globs = new Set<string>()
  const applicability = (applies: Applicability | undefined): void => {
    if (applies?.os !== undefined) keys.add('os:release')
    if (applies?.when !== undefined) read(applies.when)
  }
  const read = (check: Check): void => {
    if ('all' in check) check.all.forEach(read)
    else if ('any' in check) check.any.forEach(read)
    else if ('none' in check) check.none.forEach(read)
    else if ('element' in check) keys.add(check.element.key)
    else if ('sysctl' in check) keys.add(`sysctl:${check.sysctl.key}`)
    else if ('service' in check) keys.add(`service:${check.service.name}`)
    else if ('package' in check) {
      keys.add(`package:${check.package.name}`)
      // A package of several architectures is `package:NAME:ARCH`.
      globs.add(`package:${check.package.name}:*`)
    } else if ('port' in check) keys.add(`port:${check.port.proto}/${check.port.port}`)
    else if ('groupMembers' in check) {
      keys.add(`group:${check.groupMembers.group}`)
      globs.add(USERS)
    } else if ('uid0Accounts' in check || 'noEmptyPasswords' in check) globs.add(USERS)
    else if ('noSystemLoginShells' in check) globs.add(USERS)
    else if ('forEach' in check) {
      globs.add(check.forEach.elements)
      for (const glob of relatedGlobs(check.forEach)) globs.add(glob)
    } else if ('file' in check || 'content' in check || 'setting' in check) {
      // Files: collected by the file rules the policies give (collection-spec.ts).
    } else {
      const unknown: never = check
      throw new Error(`elementsRead: a check of an unknown kind ${JSON.stringify(unknown)}`)
    }
  }
  for (const policy of policies) {
    applicability(policy.applies)
    for (const test of policy.tests) {
      applicability(test.applies)
      read(test.check)
    }
  }
  return new ElementSelection(keys, globs)
}
