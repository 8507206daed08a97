// One API route as data: method, path, who may call it, the zod schemas of what it takes, and
// its handler. The app registers routes from these; the OpenAPI document is generated from the
// same definitions, so the documentation cannot drift from what the console accepts.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { FleetNode, Role, User } from '../store/index.js'

/** Who is calling: a user (by session or API token), an agent for its node, or nobody. */
export type Caller =
  | { readonly kind: 'user'; readonly user: User; readonly via: 'session' | 'token' }
  | { readonly kind: 'agent'; readonly node: FleetNode }
  | { readonly kind: 'anonymous' }

export type Access = 'public' | 'agent' | readonly Role[]

export const READERS: readonly Role[] = ['admin', 'operator', 'auditor']
export const WRITERS: readonly Role[] = ['admin', 'operator']
export const ADMINS: readonly Role[] = ['admin']

export interface RouteContext<Params, Query, Body> {
  readonly params: Params
  readonly query: Query
  readonly body: Body
  readonly caller: Caller
  readonly request: FastifyRequest
  readonly reply: FastifyReply
}

export interface RouteAnswer {
  readonly status?: number
  readonly body: unknown
}

export interface ApiRoute<Params = unknown, Query = unknown, Body = unknown> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Fastify-style path: `/api/v1/nodes/:id`. */
  readonly url: string
  readonly summary: string
  readonly tag: string
  readonly access: Access
  readonly params?: z.ZodType<Params>
  readonly query?: z.ZodType<Query>
  readonly body?: z.ZodType<Body>
  /** Status codes besides 200 and the errors every route may give. */
  readonly responses?: Readonly<Record<number, string>>
  handler(context: RouteContext<Params, Query, Body>): Promise<RouteAnswer>
}

/** Keeps a route's types together while the list of routes holds them as one type. */
export function defineRoute<Params, Query, Body>(
  route: ApiRoute<Params, Query, Body>,
): ApiRoute<unknown, unknown, unknown> {
  return route
}
