// One JSON request to the console over node:http, on a connection the agent opens itself so that
// it decides how the console is authenticated: plain HTTP (a loopback console), the CA fingerprint
// of an enrollment token (checked before a byte of the request is sent), or the pinned CA.
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { connect as netConnect, isIP, type Socket } from 'node:net'
import { connect as tlsConnect, type TLSSocket } from 'node:tls'
import { DriftwatchError } from '../errors/index.js'
import { chainIsPinned } from './certificate-pin.js'
import { gzipSync } from 'node:zlib'

const GZIP_ABOVE_BYTES = 64 * 1024
const MIB = 1024 * 1024
const MS_PER_MIB = 1000

export type ConsoleTrust =
  | { readonly kind: 'plain' }
  /** Enrollment: the CA is known only by the fingerprint in the token. */
  | { readonly kind: 'fingerprint'; readonly caFingerprint: string }
  /** After enrollment: the console's CA, and only it, vouches for the console. */
  | { readonly kind: 'ca'; readonly caCertificate: string }

export interface ConsoleRequest {
  readonly console: URL
  readonly method: 'GET' | 'POST'
  /** Below the console URL's path, e.g. `/api/v1/agents/spec`. */
  readonly path: string
  readonly trust: ConsoleTrust
  readonly bearer?: string | undefined
  readonly body?: unknown
  /** Connecting, sending and receiving the answer together (default 30 s). */
  readonly timeoutMs?: number | undefined
  /** Answers longer than this are refused (default 8 MiB). */
  readonly maxResponseBytes?: number | undefined
}

export interface ConsoleResponse {
  readonly status: number
  /** The parsed JSON body; undefined when there is none or it is not JSON. */
  readonly body: unknown
}

const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024

/** OpenSSL's verdicts that mean "not vouched for by the pinned CA". */
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
])

/**
 * Sends one request and reads the whole answer, whatever its status.
 *
 * @example await requestConsole({ console: new URL('http://127.0.0.1:8080'), method: 'GET', path: '/api/v1/agents/spec', trust: { kind: 'plain' }, bearer })
 * @throws DriftwatchError DW_ERR_CONSOLE_UNREACHABLE (network, timeout, oversized answer),
 *   DW_ERR_CONSOLE_IDENTITY (the TLS peer is not the pinned console)
 */
export function requestConsole(request: ConsoleRequest): Promise<ConsoleResponse> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const maxBytes = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  const where = request.console.origin
  try {
    checkTrustFitsScheme(request.console, request.trust)
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)))
  }
  const json = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body))
  // The console stores a whole snapshot of a big host (100+ MiB of JSON) in tens of seconds:
  // the wait grows with what it is given, so a slow answer is not taken for an unreachable console.
  const waitMs = timeoutMs + Math.ceil((json?.length ?? 0) / MIB) * MS_PER_MIB
  return new Promise((resolve, reject) => {
    let settled = false
    const finish = (error: Error | undefined, response?: ConsoleResponse): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (error === undefined && response !== undefined) {
        socket.end()
        resolve(response)
      } else {
        socket.destroy()
        reject(error ?? new Error('no response'))
      }
    }
    const timer = setTimeout(
      () => finish(unreachable(where, `no answer within ${Math.round(waitMs / 1000)} s`)),
      waitMs,
    )
    const socket = openSocket(request, (connected, error) => {
      if (error !== undefined) return finish(error)
      // A whole snapshot of a host is JSON of 100+ MB that gzip shrinks ~8×: big bodies travel
      // compressed (level 1: most of the gain for a third of level 6's time).
      const compressed = json !== undefined && json.length > GZIP_ABOVE_BYTES
      const payload = compressed ? gzipSync(json, { level: 1 }) : json
      const outgoing = httpRequest(
        {
          createConnection: () => connected,
          method: request.method,
          path: joinPath(request.console, request.path),
          headers: {
            Host: request.console.host,
            Accept: 'application/json',
            Connection: 'close',
            ...(request.bearer === undefined ? {} : { Authorization: `Bearer ${request.bearer}` }),
            ...(payload === undefined
              ? {}
              : {
                  'Content-Type': 'application/json',
                  'Content-Length': payload.length,
                  ...(compressed ? { 'Content-Encoding': 'gzip' } : {}),
                }),
          },
        },
        (incoming) => readBody(incoming, maxBytes, where, finish),
      )
      outgoing.on('error', (cause) => finish(transportError(where, cause)))
      outgoing.end(payload)
    })
    socket.on('error', (cause) => finish(transportError(where, cause)))
  })
}

/** Opens the connection and calls `ready` once it may carry the request (TLS authenticated). */
function openSocket(
  request: ConsoleRequest,
  ready: (socket: Socket, error?: Error) => void,
): Socket {
  const url = request.console
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  const secure = url.protocol === 'https:'
  const port = Number(url.port || (secure ? 443 : 80))
  const trust = request.trust
  if (!secure || trust.kind === 'plain') {
    const socket = netConnect({ host, port })
    socket.once('connect', () => ready(socket))
    return socket
  }
  const servername = isIP(host) === 0 ? { servername: host } : {}
  const socket: TLSSocket =
    trust.kind === 'fingerprint'
      ? // No CA yet: accept any chain here and check it against the fingerprint below.
        tlsConnect({ host, port, ...servername, rejectUnauthorized: false })
      : tlsConnect({
          host,
          port,
          ...servername,
          ca: trust.caCertificate,
          // The pinned private CA authenticates the console; the name it is reached by may not
          // be in its certificate (an address, an alias), so only the chain is checked.
          checkServerIdentity: () => undefined,
        })
  socket.once('secureConnect', () => {
    if (
      trust.kind === 'fingerprint' &&
      !chainIsPinned(socket.getPeerCertificate(true), trust.caFingerprint)
    ) {
      ready(
        socket,
        new DriftwatchError(
          'DW_ERR_CONSOLE_IDENTITY',
          `${url.origin}: the console's TLS certificate is not issued by the CA the enrollment token names; the token was not sent`,
        ),
      )
      return
    }
    ready(socket)
  })
  return socket
}

/** A pinned CA over plain HTTP, or HTTPS with nothing to authenticate it by, is a mistake. */
function checkTrustFitsScheme(url: URL, trust: ConsoleTrust): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DriftwatchError('DW_ERR_USAGE', `--console ${url.origin}: use http:// or https://`)
  }
  if (url.protocol === 'http:' && trust.kind !== 'plain') {
    throw new DriftwatchError(
      'DW_ERR_USAGE',
      `${url.origin}: the console's CA is pinned, so it must be reached over https://`,
    )
  }
  if (url.protocol === 'https:' && trust.kind === 'plain') {
    throw new DriftwatchError(
      'DW_ERR_USAGE',
      `${url.origin}: an HTTPS console needs an enrollment token that ends with ~<CA fingerprint>`,
    )
  }
}

function readBody(
  incoming: IncomingMessage,
  maxBytes: number,
  where: string,
  finish: (error: Error | undefined, response?: ConsoleResponse) => void,
): void {
  const chunks: Buffer[] = []
  let length = 0
  incoming.on('data', (chunk: Buffer) => {
    length += chunk.length
    if (length > maxBytes) {
      finish(unreachable(where, `answered with more than ${maxBytes} bytes`))
      return
    }
    chunks.push(chunk)
  })
  incoming.on('error', (cause) => finish(transportError(where, cause)))
  incoming.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8')
    let body: unknown
    try {
      body = text === '' ? undefined : (JSON.parse(text) as unknown)
    } catch {
      body = undefined
    }
    finish(undefined, { status: incoming.statusCode ?? 0, body })
  })
}

function joinPath(console: URL, path: string): string {
  return `${console.pathname.replace(/\/+$/, '')}${path}`
}

function transportError(where: string, cause: Error): DriftwatchError {
  if (cause instanceof DriftwatchError) return cause
  const code = (cause as NodeJS.ErrnoException).code ?? ''
  if (UNTRUSTED_CERTIFICATE.has(code)) {
    return new DriftwatchError(
      'DW_ERR_CONSOLE_IDENTITY',
      `${where}: the console's TLS certificate is not issued by the CA pinned at enrollment (${code})`,
      { cause },
    )
  }
  return unreachable(where, code === '' ? cause.message : `${code}: ${cause.message}`, cause)
}

function unreachable(where: string, reason: string, cause?: Error): DriftwatchError {
  return new DriftwatchError(
    'DW_ERR_CONSOLE_UNREACHABLE',
    `console ${where} unreachable: ${reason}`,
    cause === undefined ? undefined : { cause },
  )
}
