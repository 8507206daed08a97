// What a password field says about an account, without keeping any part of the field: a hash
// (or a piece of one) must never reach a snapshot, a report or a log.

/**
 * `set`: a password (hash) is set. `locked`: the field starts with `!` or `*`, so no password
 * can match. `empty`: no password at all (login without one, where PAM allows `nullok`).
 * `none`: the account has no entry in /etc/shadow.
 */
export type PasswordState = 'set' | 'locked' | 'empty' | 'none'

/**
 * Classifies a password field of /etc/shadow (or of /etc/passwd where it holds the hash).
 * A bare `!` (or `!!`) is `locked`: it is what `passwd -l` leaves on an account that never had a
 * password, and no password matches it.
 *
 * @example passwordState('$6$salt$hash') // 'set'
 * @example passwordState('!$6$salt$hash') // 'locked'
 * @example passwordState('') // 'empty'
 */
export function passwordState(field: string): Exclude<PasswordState, 'none'> {
  if (field === '') return 'empty'
  if (field.startsWith('!') || field.startsWith('*')) return 'locked'
  return 'set'
}
