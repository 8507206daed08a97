// One JSON request to a ticket system (ServiceNow, Jira) that never throws: a refused connection,
// an error status, a body that is not JSON or no answer within the timeout each come back as a
// cause a person can act on. Credentials never appear in a cause.

export type TicketSystemAuth =
  | { readonly kind: 'basic'; readonly user: string; readonly password: string }
  | { readonly kind: 'bearer'; readonly token: string }

export interface TicketSystemRequest {
  readonly url: URL
  readonly method: 'GET' | 'POST'
  readonly auth: TicketSystemAuth
  readonly body?: unknown
  /** For connecting, sending and reading the whole answer. */
  readonly timeoutMs: number
}

export type TicketSystemAnswer =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly cause: string; readonly status?: number | undefined }

/** Long enough for a slow instance under load; short enough that a hung poll is noticed. */
export const DEFAULT_TICKET_SYSTEM_TIMEOUT_MS = 30_000

const EXCERPT_CHARS = 200

/**
 * Sends one request and reads its JSON answer.
 *
 * @example await requestTicketSystem({ url: new URL('https://acme.service-now.com/api/now/table/change_request'), method: 'GET', auth: { kind: 'bearer', token }, timeoutMs: 30_000 })
 */
export async function requestTicketSystem(
  request: TicketSystemRequest,
): Promise<TicketSystemAnswer> {
  const controller = new AbortController()
  // The timer spans the body too: a server that sends headers and then stalls is as hung as one
  // that never answers.
  const timer = setTimeout(() => controller.abort(), request.timeoutMs)
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: {
        accept: 'application/json',
        authorization: authorizationHeader(request.auth),
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: controller.signal,
    })
    const text = await response.text()
    if (!response.ok) {
      return { ok: false, status: response.status, cause: statusCause(response, text) }
    }
    try {
      return { ok: true, body: JSON.parse(text) as unknown }
    } catch {
      return {
        ok: false,
        status: response.status,
        cause: `the answer is not JSON: ${excerpt(text)}`,
      }
    }
  } catch (error) {
    if (controller.signal.aborted) {
      return { ok: false, cause: `no answer within ${request.timeoutMs} ms (timed out)` }
    }
    return { ok: false, cause: `cannot reach the server: ${networkReason(error)}` }
  } finally {
    clearTimeout(timer)
  }
}

function authorizationHeader(auth: TicketSystemAuth): string {
  if (auth.kind === 'bearer') return `Bearer ${auth.token}`
  return `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`
}

function statusCause(response: Response, text: string): string {
  const status = `HTTP ${response.status} ${response.statusText}`.trim()
  const hint =
    response.status === 401 || response.status === 403
      ? ' (the credentials were refused or lack the right to read tickets)'
      : ''
  const body = text.trim() === '' ? '' : `: ${excerpt(text)}`
  return `${status}${hint}${body}`
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat || '(empty)'
}

function networkReason(error: unknown): string {
  // fetch reports "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND) in `cause`.
  const cause = error instanceof Error ? error.cause : undefined
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code
    return code === undefined ? cause.message : `${code} ${cause.message}`
  }
  return error instanceof Error ? error.message : String(error)
}
