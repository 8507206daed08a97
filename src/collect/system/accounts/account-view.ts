// The account elements of a snapshot read back into users, groups and sudo aliases, and the
// sudoers matching rules over them: who a user list names, whether a rule runs everything as
// root. The privileged-access analysis asks its questions here.
import type { AttributeValue, Element } from '../../../model/index.js'
import { splitSudoList } from './sudo-list.js'
import { DEFAULT_RUNAS } from './sudoers-parser.js'

/**
 * People's accounts have uids from 1000 to 59999 (login.defs on Debian and Fedora); below are
 * system accounts, above are the ones Debian allocates to packages (libvirt-qemu) and nobody.
 */
export const HUMAN_UIDS = { first: 1000, last: 59999 } as const

/** Shells and su: a sudo rule that runs one as root grants everything. */
const SHELLS = new Set([
  'sh',
  'ash',
  'bash',
  'dash',
  'zsh',
  'ksh',
  'mksh',
  'csh',
  'tcsh',
  'fish',
  'su',
])

export interface User {
  readonly name: string
  readonly uid: number
  readonly gid: number
  readonly shell: string
  readonly password: AttributeValue | undefined
}

export interface Group {
  readonly name: string
  readonly gid: number
  readonly members: readonly string[]
}

/** A candidate for a sudoers user list: a local or directory user, or a group as a whole. */
export interface Candidate {
  readonly name: string
  readonly kind: 'user' | 'group'
  readonly user: User | undefined
}

/** Whether a uid belongs to the system rather than to a person. */
export function isSystemUid(uid: number): boolean {
  return uid < HUMAN_UIDS.first || uid > HUMAN_UIDS.last
}

/** The account elements, read back into what the analysis asks of them. */
export class AccountView {
  readonly users = new Map<string, User>()
  readonly groups = new Map<string, Group>()
  private readonly aliases = new Map<string, readonly string[]>()

  constructor(elements: readonly Element[]) {
    for (const element of elements) {
      const colon = element.key.indexOf(':')
      const kind = element.key.slice(0, colon)
      const name = element.key.slice(colon + 1)
      if (kind === 'user') {
        this.users.set(name, {
          name,
          uid: numberAttribute(element, 'uid'),
          gid: numberAttribute(element, 'gid'),
          shell: stringAttribute(element, 'shell'),
          password: element.attributes['password'],
        })
      } else if (kind === 'group') {
        const members = stringAttribute(element, 'members')
        this.groups.set(name, {
          name,
          gid: numberAttribute(element, 'gid'),
          members: members === '' ? [] : members.split(','),
        })
      } else if (kind === 'sudo-alias') {
        this.aliases.set(name, splitSudoList(stringAttribute(element, 'members')))
      }
    }
  }

  isPerson(name: string): boolean {
    if (name === 'root') return false
    const user = this.users.get(name)
    // A name sudoers or a group grants that is not local comes from a directory: a person.
    return user === undefined || !isSystemUid(user.uid)
  }

  private isMember(user: string, groupName: string): boolean {
    const group = this.groups.get(groupName)
    if (group === undefined) return false
    return group.members.includes(user) || this.users.get(user)?.gid === group.gid
  }

  private groupNamesWithGid(gid: number): string[] {
    return [...this.groups.values()].filter((group) => group.gid === gid).map((group) => group.name)
  }

  /** `sudo-all` or `sudo-shell` when the rule runs every command, or a shell, as root. */
  rootGrant(rule: Element): 'sudo-all' | 'sudo-shell' | undefined {
    const runas = rule.attributes['runas']
    const users = runasUsers(typeof runas === 'string' ? runas : DEFAULT_RUNAS)
    if (
      evaluate(
        users,
        (item) => this.runasItemIsRoot(item),
        (name) => this.alias('Runas_Alias', name),
      ) !== true
    ) {
      return undefined
    }
    let reason: 'sudo-all' | 'sudo-shell' | undefined
    this.walkCommands(
      splitSudoList(stringAttribute(rule, 'commands')),
      false,
      new Set(),
      (command) => {
        if (command === 'ALL') reason = 'sudo-all'
        else if (reason === undefined && isShell(command)) reason = 'sudo-shell'
      },
    )
    return reason
  }

  private runasItemIsRoot(item: string): boolean {
    if (item === 'ALL' || item === '#0') return true
    if (item.startsWith('%#')) {
      return this.groupNamesWithGid(Number(item.slice(2))).some((group) => this.rootIn(group))
    }
    if (item.startsWith('%')) return this.rootIn(unquote(item.slice(1)))
    return this.users.get(unquote(item))?.uid === 0 || unquote(item) === 'root'
  }

  private rootIn(group: string): boolean {
    return [...this.users.values()].some(
      (user) => user.uid === 0 && this.isMember(user.name, group),
    )
  }

  /** Calls `onGranted` with every command the list grants (negated ones are not grants). */
  private walkCommands(
    items: readonly string[],
    negated: boolean,
    seen: Set<string>,
    onGranted: (command: string) => void,
  ): void {
    for (const item of items) {
      const { core, negations } = stripNegation(item)
      const flipped = negated !== (negations % 2 === 1)
      const members = this.alias('Cmnd_Alias', core)
      if (members !== undefined) {
        if (seen.has(core)) continue
        seen.add(core)
        this.walkCommands(members, flipped, seen, onGranted)
      } else if (!flipped) {
        onGranted(core)
      }
    }
  }

  private alias(type: string, name: string): readonly string[] | undefined {
    return /^[A-Z][A-Z0-9_]*$/.test(name) ? this.aliases.get(`${type}:${name}`) : undefined
  }

  /** Everyone a sudoers user list (`alice, %admins, ADMINS, !bob`) lets run the rule. */
  whoMatches(who: string): Candidate[] {
    const items = splitSudoList(who)
    const candidates = new Map<string, Candidate>()
    for (const user of this.users.values())
      candidates.set(user.name, { name: user.name, kind: 'user', user })
    this.collectNamed(items, new Set(), candidates)
    const resolveAlias = (name: string): readonly string[] | undefined =>
      this.alias('User_Alias', name)
    return [...candidates.values()].filter(
      (candidate) =>
        evaluate(items, (item) => this.userItemMatches(item, candidate), resolveAlias) === true,
    )
  }

  /** Names a list reaches that are not local users: directory users and groups as a whole. */
  private collectNamed(
    items: readonly string[],
    seen: Set<string>,
    into: Map<string, Candidate>,
  ): void {
    for (const item of items) {
      const core = unquote(stripNegation(item).core)
      const members = this.alias('User_Alias', core)
      if (members !== undefined) {
        if (!seen.has(core)) {
          seen.add(core)
          this.collectNamed(members, seen, into)
        }
      } else if (core === 'ALL' || /^[%+]/.test(core)) {
        into.set(core, { name: core, kind: 'group', user: undefined })
        // Members /etc/group lists without a passwd entry: directory users, people all the same.
        for (const member of this.groups.get(core.slice(1))?.members ?? []) {
          if (!into.has(member)) into.set(member, { name: member, kind: 'user', user: undefined })
        }
      } else if (core.startsWith('#')) {
        const uid = Number(core.slice(1))
        if (![...this.users.values()].some((user) => user.uid === uid)) {
          into.set(core, { name: core, kind: 'user', user: undefined })
        }
      } else if (!into.has(core)) {
        into.set(core, { name: core, kind: 'user', user: undefined })
      }
    }
  }

  private userItemMatches(item: string, candidate: Candidate): boolean {
    const core = unquote(item)
    if (core === 'ALL' || core === candidate.name) return true
    if (candidate.kind !== 'user') return false
    if (core.startsWith('%#')) {
      const gid = Number(core.slice(2))
      return (
        candidate.user?.gid === gid ||
        this.groupNamesWithGid(gid).some((group) => this.isMember(candidate.name, group))
      )
    }
    if (core.startsWith('%:') || core.startsWith('+')) return false
    if (core.startsWith('%')) return this.isMember(candidate.name, core.slice(1))
    if (core.startsWith('#')) return candidate.user?.uid === Number(core.slice(1))
    return false
  }
}

/**
 * sudo's list semantics: the last item that matches decides, `!` inverts it, and an alias
 * matches as its own list does. Undefined when nothing matches.
 */
function evaluate(
  items: readonly string[],
  matches: (core: string) => boolean,
  alias: (name: string) => readonly string[] | undefined,
  seen: ReadonlySet<string> = new Set(),
): boolean | undefined {
  let result: boolean | undefined
  for (const item of items) {
    const { core, negations } = stripNegation(item)
    const members = alias(core)
    let matched: boolean | undefined
    if (members !== undefined) {
      matched = seen.has(core)
        ? undefined
        : evaluate(members, matches, alias, new Set([...seen, core]))
    } else {
      matched = matches(core) ? true : undefined
    }
    if (matched !== undefined) result = negations % 2 === 1 ? !matched : matched
  }
  return result
}

/** The run-as users of `users:groups` (a `%:group` keeps its colon). Empty: the invoking user. */
function runasUsers(runas: string): string[] {
  for (let index = 0; index < runas.length; index++) {
    if (runas[index] !== ':') continue
    const itemStart = index === 1 || /[ ,]/.test(runas[index - 2] ?? '')
    if (runas[index - 1] === '%' && itemStart) continue
    return splitSudoList(runas.slice(0, index))
  }
  return splitSudoList(runas)
}

function isShell(command: string): boolean {
  const path = command.replace(/^(sha(224|256|384|512):\S+\s+)+/, '').split(' ')[0] ?? ''
  return SHELLS.has(path.slice(path.lastIndexOf('/') + 1))
}

/** Items are recorded as `!name`: the negations, then the name. */
function stripNegation(item: string): { core: string; negations: number } {
  const negations = /^!*/.exec(item)?.[0].length ?? 0
  return { core: item.slice(negations), negations }
}

function unquote(name: string): string {
  return name.startsWith('"') && name.endsWith('"') && name.length >= 2 ? name.slice(1, -1) : name
}

export function stringAttribute(element: Element, name: string): string {
  const value = element.attributes[name]
  return typeof value === 'string' ? value : ''
}

function numberAttribute(element: Element, name: string): number {
  const value = element.attributes[name]
  return typeof value === 'number' ? value : Number.NaN
}
