// sshd's Match conditions (servconf.c match_cfg_line): which connections a Match block applies
// to. A condition is parsed once and evaluated against a described connection.
import { matchAddressList } from './address-match.js'
import { matchSshPatternList } from './ssh-pattern.js'

/** The connection `effectiveFor` evaluates Match blocks for; an unspecified field never matches. */
export interface SshdConnection {
  readonly user?: string
  /** Every group the user is a member of (sshd checks each). */
  readonly group?: string | readonly string[]
  /** The client's host name, as sshd knows it only with `UseDNS yes`. */
  readonly host?: string
  /** The client's address. */
  readonly address?: string
  /** The server address the client connected to. */
  readonly localAddress?: string
  /** The server port the client connected to. */
  readonly localPort?: number
}

export type MatchCondition =
  | { readonly kind: 'all' }
  | { readonly kind: 'criteria'; readonly criteria: readonly MatchCriterion[] }
  /** A Match line sshd rejects: it never matches here (sshd would not start at all). */
  | { readonly kind: 'invalid' }

export interface MatchCriterion {
  /** Lower case; `unevaluated` for criteria a described connection cannot answer. */
  readonly name:
    'user' | 'group' | 'host' | 'address' | 'localaddress' | 'localport' | 'unevaluated'
  readonly patterns: string
}

const EVALUATED = new Set(['user', 'group', 'host', 'address', 'localaddress', 'localport'])
// Criteria sshd knows that a described connection cannot answer: they never match here.
const UNEVALUATED_WITH_PATTERN = new Set(['rdomain', 'version', 'sessiontype', 'command'])
const UNEVALUATED_ALONE = new Set(['invalid-user'])

/**
 * Parses the arguments of a Match line. All criteria of one line must hold at once; `All` must
 * stand alone.
 *
 * @example parseMatchCondition(['User', 'alice,bob', 'Address', '10.0.0.0/8'])
 * // { condition: { kind: 'criteria', criteria: [{ name: 'user', … }, { name: 'address', … }] } }
 */
export function parseMatchCondition(args: readonly string[]): {
  condition: MatchCondition
  error?: string
} {
  const invalid = (error: string) => ({ condition: { kind: 'invalid' } as const, error })
  const criteria: MatchCriterion[] = []
  for (let i = 0; i < args.length; i += 1) {
    const name = (args[i] ?? '').toLowerCase()
    if (name === 'all') {
      if (args.length !== 1) return invalid('"Match All" cannot be combined with other criteria')
      return { condition: { kind: 'all' } }
    }
    if (UNEVALUATED_ALONE.has(name)) {
      criteria.push({ name: 'unevaluated', patterns: '' })
      continue
    }
    if (!EVALUATED.has(name) && !UNEVALUATED_WITH_PATTERN.has(name)) {
      return invalid('a Match criterion sshd does not support')
    }
    const patterns = args[i + 1]
    if (patterns === undefined || patterns === '')
      return invalid('a Match criterion has no pattern')
    i += 1
    if (
      (name === 'address' || name === 'localaddress') &&
      matchAddressList(undefined, patterns) === 'invalid'
    ) {
      return invalid('a Match address list sshd rejects (empty entry, bad prefix, host bits set)')
    }
    criteria.push({
      name: EVALUATED.has(name) ? (name as MatchCriterion['name']) : 'unevaluated',
      patterns,
    })
  }
  return { condition: { kind: 'criteria', criteria } }
}

/**
 * Whether a connection satisfies a Match condition.
 *
 * @example matchesConnection(parseMatchCondition(['Group', 'sftp-only']).condition, { group: ['users', 'sftp-only'] }) // true
 */
export function matchesConnection(condition: MatchCondition, connection: SshdConnection): boolean {
  if (condition.kind === 'all') return true
  if (condition.kind === 'invalid') return false
  return condition.criteria.every((criterion) => satisfies(criterion, connection))
}

function satisfies({ name, patterns }: MatchCriterion, connection: SshdConnection): boolean {
  switch (name) {
    case 'user':
      return connection.user !== undefined && matchSshPatternList(connection.user, patterns) === 1
    case 'group': {
      const groups = typeof connection.group === 'string' ? [connection.group] : connection.group
      // A negated match on any group rules the user out, as in sshd's ga_match_pattern_list.
      const results = (groups ?? []).map((group) => matchSshPatternList(group, patterns))
      return !results.includes(-1) && results.includes(1)
    }
    case 'host':
      return (
        connection.host !== undefined && matchSshPatternList(connection.host, patterns, true) === 1
      )
    case 'address':
      return (
        connection.address !== undefined && matchAddressList(connection.address, patterns) === 1
      )
    case 'localaddress':
      return (
        connection.localAddress !== undefined &&
        matchAddressList(connection.localAddress, patterns) === 1
      )
    case 'localport':
      // sshd also takes a service name from /etc/services here; such a block never matches here.
      return /^\d{1,5}$/.test(patterns) && connection.localPort === Number(patterns)
    case 'unevaluated':
      return false
  }
}
