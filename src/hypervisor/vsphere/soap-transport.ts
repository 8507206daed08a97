// HTTPS POSTs to a vCenter's or ESXi host's /sdk endpoint. Who the server is, is decided before a
// byte is sent (the Login call carries the password): the system's CAs by default, a pinned
// SHA-256 fingerprint of the server's certificate, or — only when asked — no check at all.
import { Agent, request, type RequestOptions } from 'node:https'
import { connect as tlsConnect, type TLSSocket } from 'node:tls'
import type { Duplex } from 'node:stream'
import { certificateFingerprint } from '../../integrity/index.js'
import { DriftwatchError } from '../../errors/index.js'

export type VsphereTrust =
  /** The system's certificate authorities (and NODE_EXTRA_CA_CERTS), with the host name checked. */
  | { readonly kind: 'system' }
  /** The server's own certificate, by its SHA-256 fingerprint (64 lowercase hex digits). */
  | { readonly kind: 'fingerprint'; readonly sha256: string }
  /** No check: a lab's simulator. Anyone between here and the server can read the password. */
  | { readonly kind: 'insecure' }

export interface SoapTransportOptions {
  /** The SDK endpoint, e.g. `https://vcenter.example/sdk`, without credentials. */
  readonly endpoint: URL
  readonly trust: VsphereTrust
  /** Connecting, sending and reading the whole answer of one call (default 60 s). */
  readonly timeoutMs?: number | undefined
  /** Answers longer than this are refused (default 256 MiB). */
  readonly maxResponseBytes?: number | undefined
}

export interface SoapHttpAnswer {
  readonly status: number
  readonly body: string
  /** `name=value` of each Set-Cookie header. */
  readonly cookies: readonly string[]
}

const DEFAULT_TIMEOUT_MS = 60_000
const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024

/** Sends SOAP requests over kept-alive HTTPS connections that were checked when opened. */
export class SoapTransport {
  readonly #endpoint: URL
  readonly #agent: Agent
  readonly #timeoutMs: number
  readonly #maxResponseBytes: number

  constructor(options: SoapTransportOptions) {
    if (options.endpoint.protocol !== 'https:') {
      throw new DriftwatchError(
        'DW_ERR_USAGE',
        `vSphere endpoint ${options.endpoint.href} is not https: the login would travel in clear text`,
      )
    }
    this.#endpoint = options.endpoint
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    this.#agent = new CheckedAgent(options.trust, this.#timeoutMs)
  }

  /**
   * Posts one SOAP envelope and reads the whole answer, whatever its HTTP status.
   *
   * @throws DriftwatchError DW_ERR_HYPERVISOR_UNREACHABLE (refused, timed out, certificate not
   *   trusted, connection lost), DW_ERR_HYPERVISOR_RESPONSE (answer too large); the caller's
   *   signal's reason when it aborts.
   */
  post(
    envelope: string,
    headers: Readonly<Record<string, string>>,
    signal?: AbortSignal,
  ): Promise<SoapHttpAnswer> {
    const where = this.#endpoint.href
    const timeout = AbortSignal.timeout(this.#timeoutMs)
    const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout])
    const payload = Buffer.from(envelope, 'utf8')
    const options: RequestOptions = {
      method: 'POST',
      agent: this.#agent,
      signal: combined,
      headers: {
        'Content-Type': 'text/xml; charset=utf-8',
        'Content-Length': String(payload.length),
        ...headers,
      },
    }
    return new Promise<SoapHttpAnswer>((resolve, reject) => {
      const fail = (error: unknown): void => {
        if (signal?.aborted === true) reject(abortReason(signal))
        else if (timeout.aborted)
          reject(unreachable(where, `no answer within ${Math.ceil(this.#timeoutMs / 1000)} s`))
        else reject(error instanceof DriftwatchError ? error : unreachable(where, describe(error)))
      }
      const outgoing = request(this.#endpoint, options, (incoming) => {
        const chunks: Buffer[] = []
        let length = 0
        incoming.on('data', (chunk: Buffer) => {
          length += chunk.length
          if (length > this.#maxResponseBytes) {
            incoming.destroy(
              new DriftwatchError(
                'DW_ERR_HYPERVISOR_RESPONSE',
                `${where} answered with more than ${this.#maxResponseBytes} bytes`,
              ),
            )
            return
          }
          chunks.push(chunk)
        })
        incoming.on('error', fail)
        incoming.on('end', () => {
          const setCookie = incoming.headers['set-cookie'] ?? []
          resolve({
            status: incoming.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            cookies: setCookie.map((cookie) => cookie.split(';')[0]?.trim() ?? ''),
          })
        })
      })
      outgoing.on('error', fail)
      outgoing.end(payload)
    })
  }

  close(): void {
    this.#agent.destroy()
  }
}

/**
 * Opens each connection itself so that the certificate is checked by the chosen trust before the
 * agent may write a request on it.
 */
class CheckedAgent extends Agent {
  readonly #trust: VsphereTrust
  readonly #connectTimeoutMs: number

  constructor(trust: VsphereTrust, connectTimeoutMs: number) {
    // No TLS session cache: a resumed session would skip the look at the certificate.
    super({ keepAlive: true, maxSockets: 4, maxCachedSessions: 0 })
    this.#trust = trust
    this.#connectTimeoutMs = connectTimeoutMs
  }

  override createConnection(
    options: RequestOptions,
    callback?: (error: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const host = options.host ?? options.hostname ?? 'localhost'
    const where = `https://${host}:${String(options.port)}`
    const socket: TLSSocket = tlsConnect({
      host,
      port: Number(options.port),
      ...(typeof options.servername === 'string' && options.servername !== ''
        ? { servername: options.servername }
        : {}),
      rejectUnauthorized: this.#trust.kind === 'system',
    })
    let settled = false
    const settle = (error: Error | null): void => {
      if (settled) return
      settled = true
      socket.setTimeout(0)
      if (error !== null) socket.destroy()
      callback?.(error, socket)
    }
    socket.setTimeout(this.#connectTimeoutMs, () =>
      settle(unreachable(where, `no TLS handshake within ${this.#connectTimeoutMs} ms`)),
    )
    socket.once('error', (error: Error) => settle(error))
    socket.once('secureConnect', () => {
      if (this.#trust.kind !== 'fingerprint') return settle(null)
      const raw = socket.getPeerCertificate().raw as Buffer | undefined
      const presented = raw === undefined ? 'none' : certificateFingerprint(raw)
      if (presented === this.#trust.sha256) return settle(null)
      settle(
        unreachable(
          where,
          `its certificate's SHA-256 fingerprint ${presented} is not the pinned ${this.#trust.sha256}`,
        ),
      )
    })
    return undefined
  }
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason : new Error(String(reason))
}

function unreachable(where: string, why: string): DriftwatchError {
  return new DriftwatchError('DW_ERR_HYPERVISOR_UNREACHABLE', `vSphere at ${where}: ${why}`)
}

/** OpenSSL's and Node's verdicts that mean "the system's CAs do not vouch for this server". */
const UNTRUSTED_CERTIFICATE = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as NodeJS.ErrnoException).code
  const said =
    code === undefined || error.message.includes(code)
      ? error.message
      : `${error.message} (${code})`
  return code !== undefined && UNTRUSTED_CERTIFICATE.has(code)
    ? `${said}; trust its CA (NODE_EXTRA_CA_CERTS) or pin its certificate with ?fingerprint=<SHA-256> (docs/hypervisors.md)`
    : said
}
