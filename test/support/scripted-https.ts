// A real HTTPS server on a loopback port with a fresh self-signed certificate (Debian's openssl),
// answering each POST from a script: for clients that must cope with what a server says.
import { execFileSync } from 'node:child_process'
import { createHash, X509Certificate } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'

export interface ScriptedAnswer {
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body: string
}

export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

export interface ScriptedHttpsServer {
  readonly url: string
  /** SHA-256 of its certificate, lowercase hex. */
  readonly fingerprint: string
  readonly received: readonly ReceivedRequest[]
}

/** Starts the server; `answer` is called with each request's body. Closed when the test ends. */
export async function startScriptedHttps(
  t: TestContext,
  answer: (body: string) => ScriptedAnswer,
): Promise<ScriptedHttpsServer> {
  const pem = execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-keyout',
      '-',
      '-out',
      '-',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  )
  const cert = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/.exec(pem)?.[0]
  if (cert === undefined) throw new Error('openssl wrote no certificate')
  const received: ReceivedRequest[] = []
  const server = createServer({ key: pem, cert }, (request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      received.push({ headers: request.headers, body })
      const scripted = answer(body)
      response
        .writeHead(scripted.status ?? 200, { 'Content-Type': 'text/xml', ...scripted.headers })
        .end(scripted.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { port } = server.address() as AddressInfo
  return {
    url: `https://127.0.0.1:${port}/sdk`,
    fingerprint: createHash('sha256').update(new X509Certificate(cert).raw).digest('hex'),
    received,
  }
}
