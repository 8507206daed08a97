// Who is calling: the bearer token's prefix says what kind of secret it is, and its hash is
// looked up. Secrets never reach a log: only their kind does.
import type { FastifyRequest } from 'fastify'
import { DriftwatchError } from '../errors/index.js'
import type { FleetStore } from '../store/index.js'
import type { Access, Caller } from './api-route.js'
import { TOKEN_PREFIXES, tokenHash } from './secrets.js'

export async function identifyCaller(
  request: FastifyRequest,
  store: FleetStore,
  now: string,
): Promise<Caller> {
  const header = request.headers.authorization
  if (header === undefined) return { kind: 'anonymous' }
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  if (match === null) throw unauthenticated()
  const token = match[1] as string
  const hash = tokenHash(token)
  if (token.startsWith(TOKEN_PREFIXES.agent)) {
    const node = await store.nodeByCredential(hash)
    if (node === undefined || node.status === 'retired') throw unauthenticated()
    return { kind: 'agent', node }
  }
  if (token.startsWith(TOKEN_PREFIXES.session)) {
    const user = await store.sessionUser(hash, now)
    if (user === undefined) throw unauthenticated()
    return { kind: 'user', user, via: 'session' }
  }
  if (token.startsWith(TOKEN_PREFIXES.apiToken)) {
    const user = await store.apiTokenUser(hash, now)
    if (user === undefined) throw unauthenticated()
    return { kind: 'user', user, via: 'token' }
  }
  throw unauthenticated()
}

export function checkAccess(access: Access, caller: Caller): void {
  if (access === 'public') return
  if (caller.kind === 'anonymous') throw unauthenticated()
  if (access === 'agent') {
    if (caller.kind !== 'agent') throw forbidden('only an agent may call this')
    return
  }
  if (caller.kind !== 'user') throw forbidden('agents may only push their own snapshots')
  if (!access.includes(caller.user.role)) {
    throw forbidden(`the ${caller.user.role} role may not do this (allowed: ${access.join(', ')})`)
  }
}

/** The name the audit log records for the caller. */
export function actorOf(caller: Caller): string {
  if (caller.kind === 'user') return caller.user.name
  if (caller.kind === 'agent') return `node:${caller.node.id}`
  return 'anonymous'
}

function unauthenticated(): DriftwatchError {
  return new DriftwatchError('DW_ERR_UNAUTHENTICATED', 'log in, or give a valid token')
}

function forbidden(message: string): DriftwatchError {
  return new DriftwatchError('DW_ERR_FORBIDDEN', message)
}
