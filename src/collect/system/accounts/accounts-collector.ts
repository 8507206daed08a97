// The accounts collector: users, groups, authorized SSH keys, the sudoers policy, and who of
// them can act as root — all read through the Target, so an image is judged like a live host.
import type { Element } from '../../../model/index.js'
import { escapeBytes } from '../../../model/index.js'
import type { Target } from '../../../target/index.js'
import { configLines, readConfigText, type ConfigLine } from '../config-text.js'
import type { CollectionProblem, SystemCollector } from '../system-collector.js'
import { groupElements, userElements, type AccountFiles } from './account-elements.js'
import { parseAuthorizedKeys, type AuthorizedKey } from './authorized-keys.js'
import { parseGroup } from './group-file.js'
import { parseGshadowAdmins } from './gshadow-file.js'
import { parsePasswd, type PasswdEntry } from './passwd-file.js'
import { analyzePrivilegedAccess } from './privileged-access.js'
import { parseShadow } from './shadow-file.js'
import { sudoersElements } from './sudo-elements.js'
import { readSudoers } from './sudoers-reader.js'

/** The files sshd reads by default (`AuthorizedKeysFile`), relative to the home directory. */
const AUTHORIZED_KEYS_FILES = ['.ssh/authorized_keys', '.ssh/authorized_keys2']

/**
 * Collects `user:`, `group:`, `ssh-key:`, `sudo-rule:`, `sudo-defaults:`, `sudo-alias:` and
 * `privileged:` elements. Reads files only: the command runner is never used.
 *
 * @example accountsCollector.collect({ target: openTarget({}), commands }).elements
 */
export const accountsCollector: SystemCollector = {
  name: 'accounts',
  collect({ target }) {
    const problems: CollectionProblem[] = []
    const passwdLines = readLines(target, '/etc/passwd', problems)
    const shadowLines = readLines(target, '/etc/shadow', problems)
    const groupLines = readLines(target, '/etc/group', problems)
    const gshadowLines = readLines(target, '/etc/gshadow', problems)
    const passwd = Array.isArray(passwdLines)
      ? parsePasswd(passwdLines, '/etc/passwd', problems)
      : []
    const files: AccountFiles = {
      passwd,
      shadow: Array.isArray(shadowLines)
        ? parseShadow(shadowLines, '/etc/shadow', problems)
        : shadowLines === 'absent'
          ? new Map()
          : undefined,
      groups: Array.isArray(groupLines) ? parseGroup(groupLines, '/etc/group', problems) : [],
      gshadowAdmins: Array.isArray(gshadowLines)
        ? parseGshadowAdmins(gshadowLines, '/etc/gshadow', problems)
        : gshadowLines === 'absent'
          ? 'absent'
          : undefined,
    }
    const elements = [
      ...userElements(files),
      ...groupElements(files),
      ...sshKeyElements(target, passwd, problems),
      ...sudoersElements(readSudoers(target, problems), problems),
    ]
    // Where the list of accounts or groups could not be read, a missing element proves nothing.
    const unknown = [
      ...(passwdLines === 'unreadable' ? ['user:', 'ssh-key:', 'privileged:'] : []),
      ...(groupLines === 'unreadable' ? ['group:', 'privileged:'] : []),
    ]
    return { elements: [...elements, ...privilegedElements(elements, problems)], problems, unknown }
  },
}

/** The lines of a file; `absent` when it does not exist, `unreadable` (a problem) otherwise. */
function readLines(
  target: Target,
  path: string,
  problems: CollectionProblem[],
): ConfigLine[] | 'absent' | 'unreadable' {
  const before = problems.length
  const text = readConfigText(target, path, problems)
  if (text === undefined) return problems.length > before ? 'unreadable' : 'absent'
  return configLines(text, path, problems)
}

/**
 * `ssh-key:<user>:<fingerprint>` for every key in the authorized_keys files of every account's
 * home, as passwd names it. A file shared by several accounts is read once and reported once.
 */
function sshKeyElements(
  target: Target,
  passwd: readonly PasswdEntry[],
  problems: CollectionProblem[],
): Element[] {
  const read = new Map<string, AuthorizedKey[]>()
  const elements = new Map<string, Element>()
  for (const account of passwd) {
    // A relative or empty home is no directory sshd would look in.
    if (!account.home.startsWith('/')) continue
    // The display form: a backslash in a passwd home is a character, not an escape.
    const home = escapeBytes(Buffer.from(account.home.replace(/\/+$/, ''), 'utf8'))
    for (const name of AUTHORIZED_KEYS_FILES) {
      const file = `${home}/${name}`
      let keys = read.get(file)
      if (keys === undefined) {
        const lines = readLines(target, file, problems)
        keys = Array.isArray(lines) ? parseAuthorizedKeys(lines, file, problems) : []
        read.set(file, keys)
      }
      for (const key of keys) {
        const elementKey = `ssh-key:${account.name}:${key.fingerprint}`
        // In both files, the first one sshd reads decides the options.
        if (elements.has(elementKey)) continue
        elements.set(elementKey, {
          key: elementKey,
          attributes: {
            keyType: key.keyType,
            comment: key.comment,
            options: key.options,
            file,
          },
        })
      }
    }
  }
  return [...elements.values()]
}

/**
 * `privileged:<identity>` with the reasons it can act as root. When a file the reasons come from
 * could not be read, `via` is unverified: a reason missing this time proves nothing.
 */
function privilegedElements(
  elements: readonly Element[],
  problems: readonly CollectionProblem[],
): Element[] {
  // Shadow files hold no reason (password states are not one), so they don't count here.
  const incomplete = problems.some(
    (problem) =>
      (problem.reason === 'unreadable' || problem.reason === 'too-large') &&
      !/^\/etc\/g?shadow$/.test(problem.path),
  )
  return analyzePrivilegedAccess(elements).identities.map((identity) => ({
    key: `privileged:${identity.name}`,
    attributes: { kind: identity.kind, via: identity.via.join(',') },
    ...(incomplete ? { unverified: ['via'] } : {}),
  }))
}
