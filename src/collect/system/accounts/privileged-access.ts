// Who can act as root, and how, judged from the account elements of a snapshot alone: the
// same answer for a live host, an image and last March's snapshot. Also the ghost accounts an
// attacker leaves behind, and whether the number of administrators is sane.
import type { Element } from '../../../model/index.js'
import { AccountView, isSystemUid, stringAttribute } from './account-view.js'

/**
 * Groups whose members can become root without a sudo rule, and why. Membership of one of them
 * (as a supplementary or as the primary group) is a `group:<name>` reason.
 */
export const ROOT_GROUPS: Readonly<Record<string, string>> = {
  sudo: 'sudo and polkit administrators (Debian, Ubuntu)',
  wheel: 'sudo, su and polkit administrators (Red Hat, SUSE, Arch)',
  admin: 'administrators on older Ubuntu releases',
  libvirt: 'controls libvirtd, which runs as root and can hand a guest the host disk',
  kvm: 'runs guests on /dev/kvm directly, outside libvirt',
  docker: 'the Docker socket runs containers as root with the host filesystem mounted',
  lxd: 'the LXD socket runs containers as root with the host filesystem mounted',
  disk: 'reads and writes the block devices under every filesystem',
}

/** Login shells that do not give a shell. */
const NO_LOGIN_SHELLS = new Set(['nologin', 'false', 'true', 'sync', 'halt', 'shutdown'])

export interface AdminBounds {
  readonly min: number
  readonly max: number
}

/** One administrator is a single point of failure; more than ten means everybody has root. */
export const DEFAULT_ADMIN_BOUNDS: AdminBounds = { min: 2, max: 10 }

export type IdentityKind = 'user' | 'group' | 'ssh-key'

export interface PrivilegedIdentity {
  /** `alice`, `%admins` (a group as sudoers names it), `ALL`, or `ssh-key:SHA256:…`. */
  readonly name: string
  readonly kind: IdentityKind
  /** Sorted reasons: `uid-0`, `group:<name>`, `sudo-all`, `sudo-shell`, `root-ssh-key`. */
  readonly via: readonly string[]
  /** For people: the membership, rule or key behind each reason. */
  readonly evidence: readonly string[]
  /** A person's account that can become root (root itself and system accounts are not). */
  readonly countsAsAdmin: boolean
}

export type GhostFinding = 'uid-0' | 'empty-password' | 'system-login-shell'

export interface GhostAccount {
  readonly account: string
  readonly finding: GhostFinding
  readonly detail: string
}

export type AdminVerdict = 'ok' | 'too-few' | 'too-many'

export interface AdminCount {
  readonly count: number
  readonly min: number
  readonly max: number
  readonly verdict: AdminVerdict
}

export interface PrivilegedAccess {
  /** Users first, then groups, then keys; by name within each. */
  readonly identities: readonly PrivilegedIdentity[]
  readonly ghosts: readonly GhostAccount[]
  readonly admins: AdminCount
}

/**
 * Analyses the `user:`, `group:`, `sudo-rule:`, `sudo-alias:` and `ssh-key:` elements of a
 * snapshot. Rules are counted whatever host they name: an image does not know where it will run.
 *
 * @example analyzePrivilegedAccess(snapshot.elements, { min: 2, max: 10 }).admins.verdict // 'ok'
 */
export function analyzePrivilegedAccess(
  elements: readonly Element[],
  bounds: AdminBounds = DEFAULT_ADMIN_BOUNDS,
): PrivilegedAccess {
  const accounts = new AccountView(elements)
  const found = new Map<string, { kind: IdentityKind; via: Set<string>; evidence: string[] }>()
  const grant = (name: string, kind: IdentityKind, via: string, evidence: string): void => {
    const identity = found.get(name) ?? { kind, via: new Set(), evidence: [] }
    identity.via.add(via)
    if (!identity.evidence.includes(evidence)) identity.evidence.push(evidence)
    found.set(name, identity)
  }

  for (const user of accounts.users.values()) {
    if (user.uid === 0) grant(user.name, 'user', 'uid-0', 'uid 0')
  }
  for (const group of accounts.groups.values()) {
    if (ROOT_GROUPS[group.name] === undefined) continue
    for (const member of group.members) {
      grant(member, 'user', `group:${group.name}`, `member of group ${group.name}`)
    }
    for (const user of accounts.users.values()) {
      if (user.gid === group.gid) {
        grant(user.name, 'user', `group:${group.name}`, `primary group ${group.name}`)
      }
    }
  }
  for (const element of elements) {
    if (!element.key.startsWith('sudo-rule:')) continue
    const reason = accounts.rootGrant(element)
    if (reason === undefined) continue
    const nopasswd = element.attributes['nopasswd'] === true ? ', NOPASSWD' : ''
    const evidence =
      `sudo rule ${element.key.slice('sudo-rule:'.length)} ` +
      `(${stringAttribute(element, 'source')}${nopasswd})`
    for (const candidate of accounts.whoMatches(stringAttribute(element, 'who'))) {
      grant(candidate.name, candidate.kind, reason, evidence)
    }
  }
  for (const element of elements) {
    if (!element.key.startsWith('ssh-key:')) continue
    const rest = element.key.slice('ssh-key:'.length)
    const account = rest.slice(0, rest.indexOf(':'))
    if (accounts.users.get(account)?.uid !== 0) continue
    const comment = stringAttribute(element, 'comment')
    grant(
      `ssh-key:${rest.slice(account.length + 1)}`,
      'ssh-key',
      'root-ssh-key',
      `authorized for ${account} in ${stringAttribute(element, 'file')}` +
        (comment === '' ? '' : ` (${comment})`),
    )
  }

  const kindOrder: IdentityKind[] = ['user', 'group', 'ssh-key']
  const identities = [...found.entries()]
    .map(([name, { kind, via, evidence }]) => ({
      name,
      kind,
      via: [...via].sort(),
      evidence,
      countsAsAdmin: kind === 'user' && accounts.isPerson(name),
    }))
    .sort(
      (a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || compare(a.name, b.name),
    )
  const count = identities.filter((identity) => identity.countsAsAdmin).length
  return {
    identities,
    ghosts: ghostAccounts(accounts),
    admins: {
      count,
      min: bounds.min,
      max: bounds.max,
      verdict: count < bounds.min ? 'too-few' : count > bounds.max ? 'too-many' : 'ok',
    },
  }
}

function ghostAccounts(accounts: AccountView): GhostAccount[] {
  const ghosts: GhostAccount[] = []
  for (const user of accounts.users.values()) {
    if (user.uid === 0 && user.name !== 'root') {
      ghosts.push({
        account: user.name,
        finding: 'uid-0',
        detail: 'uid 0 on an account other than root',
      })
    }
    if (user.password === 'empty') {
      ghosts.push({
        account: user.name,
        finding: 'empty-password',
        detail: 'no password: where PAM allows it, anyone can log in',
      })
    }
    // An empty shell field means /bin/sh.
    const shell = user.shell === '' ? '/bin/sh' : user.shell
    const base = shell.slice(shell.lastIndexOf('/') + 1)
    if (user.name !== 'root' && isSystemUid(user.uid) && !NO_LOGIN_SHELLS.has(base)) {
      ghosts.push({
        account: user.name,
        finding: 'system-login-shell',
        detail: `system account (uid ${user.uid}) with the login shell ${shell}`,
      })
    }
  }
  return ghosts.sort((a, b) => compare(a.account, b.account) || compare(a.finding, b.finding))
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
