// Logging in and out, users, API tokens and enrollment tokens. Secrets are shown once, when
// made; only their hashes are kept.
import { z } from 'zod'
import { DriftwatchError } from '../../errors/index.js'
import { ADMINS, READERS, defineRoute, type ApiRoute } from '../api-route.js'
import { actorOf } from '../caller.js'
import type { ConsoleContext } from '../console-context.js'
import { hashPassword, passwordMatches } from '../passwords.js'
import { TOKEN_PREFIXES, newToken, tokenHash } from '../secrets.js'

const ROLE = z.enum(['admin', 'operator', 'auditor'])
const HOUR_MS = 60 * 60 * 1000
const ID = z.strictObject({ id: z.coerce.number().int().min(1) })

export function accessRoutes(context: ConsoleContext): ApiRoute[] {
  const { store } = context
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/login',
      summary: 'Log in with a name and password: returns a session token',
      tag: 'access',
      access: 'public',
      body: z.strictObject({
        name: z.string().min(1).max(128),
        password: z.string().min(1).max(1024),
      }),
      responses: { 429: 'too many failed attempts' },
      async handler({ body, request }) {
        const now = context.now()
        const wait = context.limiter.retryAfter(request.ip, body.name, now.getTime())
        if (wait > 0) {
          const seconds = Math.ceil(wait / 1000)
          throw new DriftwatchError(
            'DW_ERR_RATE_LIMITED',
            `too many failed logins: try again in ${seconds} s`,
            {
              details: { retryAfterSeconds: seconds },
            },
          )
        }
        const user = await store.userByName(body.name)
        if (user === undefined || !(await passwordMatches(user.passwordHash, body.password))) {
          context.limiter.recordFailure(request.ip, body.name, now.getTime())
          await store.audit(
            { actor: body.name, action: 'login.failed', subject: { address: request.ip } },
            now.toISOString(),
          )
          throw new DriftwatchError('DW_ERR_UNAUTHENTICATED', 'wrong name or password')
        }
        context.limiter.recordSuccess(request.ip, body.name)
        const token = newToken(TOKEN_PREFIXES.session)
        const expiresAt = new Date(now.getTime() + context.sessionHours * HOUR_MS).toISOString()
        await store.createSession(tokenHash(token), user.id, now.toISOString(), expiresAt)
        await store.audit(
          { actor: user.name, action: 'login', subject: { address: request.ip } },
          now.toISOString(),
        )
        return { body: { token, expiresAt, name: user.name, role: user.role } }
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/logout',
      summary: 'End the calling session',
      tag: 'access',
      access: READERS,
      responses: { 204: 'the session is ended' },
      async handler({ request }) {
        const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1]
        if (token?.startsWith(TOKEN_PREFIXES.session) === true)
          await store.deleteSession(tokenHash(token))
        return { status: 204, body: undefined }
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/password',
      summary:
        "Change the calling user's password (the current one is asked for); ends their sessions",
      tag: 'access',
      access: READERS,
      body: z.strictObject({
        current: z.string().min(1).max(1024),
        password: z.string().min(12, 'at least 12 characters').max(1024),
      }),
      responses: { 204: 'changed: log in again' },
      async handler({ body, caller, request }) {
        if (caller.kind !== 'user') throw new DriftwatchError('DW_ERR_FORBIDDEN', 'users only')
        const now = context.now()
        const wait = context.limiter.retryAfter(request.ip, caller.user.name, now.getTime())
        if (wait > 0 || !(await passwordMatches(caller.user.passwordHash, body.current))) {
          context.limiter.recordFailure(request.ip, caller.user.name, now.getTime())
          throw new DriftwatchError('DW_ERR_UNAUTHENTICATED', 'the current password is wrong')
        }
        await store.setPassword(
          caller.user.id,
          await hashPassword(body.password),
          caller.user.name,
          now.toISOString(),
        )
        return { status: 204, body: undefined }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/users',
      summary: 'Users and their roles',
      tag: 'access',
      access: ADMINS,
      async handler() {
        const users = await store.listUsers()
        return { body: users.map(({ id, name, role }) => ({ id, name, role })) }
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users',
      summary: 'Create a user',
      tag: 'access',
      access: ADMINS,
      body: z.strictObject({
        name: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, 'letters, digits and . _ @ - only'),
        password: z.string().min(12, 'at least 12 characters').max(1024),
        role: ROLE,
      }),
      responses: { 201: 'created' },
      async handler({ body, caller }) {
        if ((await store.userByName(body.name)) !== undefined) {
          throw new DriftwatchError(
            'DW_ERR_PAYLOAD_INVALID',
            `body.name: "${body.name}" exists already`,
          )
        }
        const id = await store.createUser({
          name: body.name,
          passwordHash: await hashPassword(body.password),
          role: body.role,
          actor: actorOf(caller),
          now: context.now().toISOString(),
        })
        return { status: 201, body: { id, name: body.name, role: body.role } }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/api-tokens',
      summary: 'API tokens (never their secrets)',
      tag: 'access',
      access: ADMINS,
      async handler() {
        return { body: await store.listApiTokens() }
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/api-tokens',
      summary: 'Create an API token for a user: the secret is shown once',
      tag: 'access',
      access: ADMINS,
      body: z.strictObject({
        name: z.string().min(1).max(128),
        user: z.string().min(1).max(64).optional(),
        expiresAt: z.iso.datetime().optional(),
      }),
      responses: { 201: 'created' },
      async handler({ body, caller }) {
        if (caller.kind !== 'user') throw new DriftwatchError('DW_ERR_FORBIDDEN', 'users only')
        const owner = body.user === undefined ? caller.user : await store.userByName(body.user)
        if (owner === undefined)
          throw new DriftwatchError('DW_ERR_NOT_FOUND', `no user "${body.user}"`)
        const token = newToken(TOKEN_PREFIXES.apiToken)
        const id = await store.createApiToken({
          tokenHash: tokenHash(token),
          userId: owner.id,
          name: body.name,
          expiresAt: body.expiresAt ?? null,
          actor: actorOf(caller),
          now: context.now().toISOString(),
        })
        return {
          status: 201,
          body: { id, name: body.name, user: owner.name, role: owner.role, token },
        }
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/api-tokens/:id',
      summary: 'Revoke an API token',
      tag: 'access',
      access: ADMINS,
      responses: { 204: 'revoked' },
      params: ID,
      async handler({ params, caller }) {
        const revoked = await store.revokeApiToken(
          params.id,
          actorOf(caller),
          context.now().toISOString(),
        )
        if (!revoked) throw new DriftwatchError('DW_ERR_NOT_FOUND', `no API token ${params.id}`)
        return { status: 204, body: undefined }
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/enrollment-tokens',
      summary: 'Enrollment tokens: who made them, until when, and which node used each',
      tag: 'access',
      access: ADMINS,
      async handler() {
        return { body: await store.listEnrollmentTokens() }
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/enrollment-tokens',
      summary: 'Create an enrollment token for agents: one-time, or reusable for a VM template',
      tag: 'access',
      access: ADMINS,
      body: z.strictObject({
        tags: z.array(z.string().min(1).max(128)).max(64).default([]),
        reusable: z.boolean().default(false),
        hours: z
          .number()
          .int()
          .min(1)
          .max(24 * 366)
          .default(24),
      }),
      responses: { 201: 'created: the token is shown once' },
      async handler({ body, caller }) {
        const now = context.now()
        const secret = newToken(TOKEN_PREFIXES.enrollment)
        const expiresAt = new Date(now.getTime() + body.hours * HOUR_MS).toISOString()
        const id = await store.createEnrollmentToken({
          tokenHash: tokenHash(secret),
          tags: body.tags,
          reusable: body.reusable,
          createdBy: actorOf(caller),
          expiresAt,
          now: now.toISOString(),
        })
        const token = context.tls === undefined ? secret : `${secret}~${context.tls.caFingerprint}`
        return {
          status: 201,
          body: { id, token, expiresAt, tags: body.tags, reusable: body.reusable },
        }
      },
    }),
  ]
}
