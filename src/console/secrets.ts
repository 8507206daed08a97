// Tokens the console hands out — sessions, API tokens, agent credentials, enrollment tokens —
// are random, carry a prefix that says what they are, and are stored only as SHA-256 hashes.
import { createHash, randomBytes } from 'node:crypto'

export const TOKEN_PREFIXES = {
  session: 'dws_',
  apiToken: 'dwt_',
  agent: 'dwa_',
  enrollment: 'dwe_',
} as const

/** @example newToken('dwt_') // 'dwt_3q2+…' (32 random bytes, base64url) */
export function newToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
