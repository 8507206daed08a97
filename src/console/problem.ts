// Errors become RFC 9457 problem documents here, once, for every route: a DriftwatchError keeps
// its code and status; Fastify's own parsing errors are translated into ours; anything else is
// logged and answered as a bare 500 that leaks nothing of the internals.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { DriftwatchError, ERROR_CATALOGUE, type ErrorCode } from '../errors/index.js'

export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: ErrorCode
  readonly [extension: string]: unknown
}

export function problemOf(error: DriftwatchError): Problem {
  return {
    ...error.details,
    type: `urn:driftwatch:error:${error.code}`,
    title: error.definition.title,
    status: error.definition.httpStatus,
    detail: error.message,
    code: error.code,
  }
}

/** Fastify's errors (body too large, malformed JSON …) in our catalogue's terms. */
export function translateError(error: unknown): DriftwatchError | undefined {
  if (error instanceof DriftwatchError) return error
  const fastifyError = error as Partial<FastifyError>
  if (fastifyError.statusCode === 413) {
    return new DriftwatchError('DW_ERR_PAYLOAD_TOO_LARGE', fastifyError.message ?? 'body too large')
  }
  if (
    typeof fastifyError.code === 'string' &&
    fastifyError.code.startsWith('FST_') &&
    fastifyError.statusCode !== undefined &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return new DriftwatchError('DW_ERR_PAYLOAD_INVALID', fastifyError.message ?? 'invalid request')
  }
  return undefined
}

export function sendProblem(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const known = translateError(error)
  if (known === undefined) {
    request.log.error({ err: error }, 'internal error')
    const definition = ERROR_CATALOGUE.DW_ERR_INTERNAL
    return reply.code(500).type('application/problem+json').send({
      type: 'urn:driftwatch:error:DW_ERR_INTERNAL',
      title: definition.title,
      status: 500,
      detail: 'the console failed to answer; the error is in its log',
      code: 'DW_ERR_INTERNAL',
    })
  }
  const problem = problemOf(known)
  if (known.code === 'DW_ERR_RATE_LIMITED' && typeof problem['retryAfterSeconds'] === 'number') {
    void reply.header('retry-after', String(problem['retryAfterSeconds']))
  }
  return reply.code(problem.status).type('application/problem+json').send(problem)
}

/** Parses a request part with its schema, or throws a problem naming every wrong field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, part: string): T {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const errors = parsed.error.issues.slice(0, 20).map((issue) => ({
    path: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }))
  throw new DriftwatchError(
    'DW_ERR_PAYLOAD_INVALID',
    errors.map((error) => `${error.path}: ${error.message}`).join('; '),
    { details: { errors } },
  )
}
