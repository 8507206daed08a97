import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { tempDir } from '../../test/support/temp-tree.js'
import { certificateFingerprint } from '../integrity/index.js'
import { ConsoleClient, enrollAgent } from './console-client.js'
import { requestConsole } from './console-request.js'
import { parseEnrollmentToken } from './enrollment-token.js'

interface TestCa {
  readonly caCertificate: string
  readonly fingerprint: string
  readonly serverKey: string
  /** The server certificate followed by the CA, as the console serves it. */
  readonly serverChain: string
}

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

/** A private CA and a server certificate it issued for a name the tests never connect by. */
function makeCa(t: TestContext, name: string): TestCa {
  const dir = tempDir(t)
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' })
  }
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  run(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  )
  run('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=console.internal')
  writeFileSync(
    join(dir, 'ext.cnf'),
    'subjectAltName=DNS:console.internal\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  )
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  )
  const caCertificate = readFileSync(join(dir, 'ca.pem'), 'utf8')
  return {
    caCertificate,
    fingerprint: certificateFingerprint(caCertificate),
    serverKey: readFileSync(join(dir, 'server.key'), 'utf8'),
    serverChain: readFileSync(join(dir, 'server.pem'), 'utf8') + caCertificate,
  }
}

interface Seen {
  readonly method: string
  readonly url: string
  readonly authorization: string | undefined
  readonly body: string
}

type Handler = (request: Seen) => { status: number; body: unknown }

async function listen(t: TestContext, server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => server.close())
  return String((server.address() as AddressInfo).port)
}

function serve(seen: Seen[], handler: Handler) {
  return (request: IncomingMessage, response: import('node:http').ServerResponse): void => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        body,
      }
      seen.push(entry)
      const answer = handler(entry)
      response.writeHead(answer.status, { 'content-type': 'application/json' })
      response.end(JSON.stringify(answer.body))
    })
  }
}

async function httpsConsole(t: TestContext, ca: TestCa, handler: Handler) {
  const seen: Seen[] = []
  const server = createHttpsServer(
    { key: ca.serverKey, cert: ca.serverChain },
    serve(seen, handler),
  )
  const port = await listen(t, server)
  return { url: new URL(`https://127.0.0.1:${port}/`), seen }
}

const enrolled =
  (ca: TestCa): Handler =>
  () => ({
    status: 201,
    body: { nodeId: 7, credential: 'dwa_credential', caCertificate: ca.caCertificate },
  })

const identity = { hostname: 'web-01', machineId: 'abc' }

test(
  'enrolls with an HTTPS console whose CA the token pins, reaching it by an address not in its certificate',
  { skip: !hasOpenssl },
  async (t) => {
    const ca = makeCa(t, 'console-ca')
    const console = await httpsConsole(t, ca, enrolled(ca))
    const token = parseEnrollmentToken(`dwe_secretsecret~${ca.fingerprint}`)
    const enrollment = await enrollAgent(console.url, token, {
      name: 'web-01',
      kind: 'host',
      identity,
    })
    assert.equal(enrollment.nodeId, 7)
    assert.equal(enrollment.caCertificate, ca.caCertificate)
    assert.equal(
      (JSON.parse(console.seen[0]?.body ?? '{}') as { token: string }).token,
      token.token,
    )
  },
)

test(
  'refuses a console whose certificate another CA issued, before sending the token',
  { skip: !hasOpenssl },
  async (t) => {
    const pinned = makeCa(t, 'console-ca')
    const impostor = makeCa(t, 'impostor-ca')
    const console = await httpsConsole(t, impostor, enrolled(impostor))
    const token = parseEnrollmentToken(`dwe_secretsecret~${pinned.fingerprint}`)
    await assert.rejects(
      enrollAgent(console.url, token, { name: 'web-01', kind: 'host', identity }),
      { code: 'DW_ERR_CONSOLE_IDENTITY' },
    )
    assert.equal(console.seen.length, 0)
  },
)

test(
  'refuses an impostor that shows the pinned CA certificate in its chain without being issued by it',
  { skip: !hasOpenssl },
  async (t) => {
    const pinned = makeCa(t, 'console-ca')
    const impostor = makeCa(t, 'impostor-ca')
    // The CA certificate is public: anyone can append it to their own chain.
    const forged = { ...impostor, serverChain: impostor.serverChain + pinned.caCertificate }
    const console = await httpsConsole(t, forged, enrolled(pinned))
    const token = parseEnrollmentToken(`dwe_secretsecret~${pinned.fingerprint}`)
    await assert.rejects(
      enrollAgent(console.url, token, { name: 'web-01', kind: 'host', identity }),
      { code: 'DW_ERR_CONSOLE_IDENTITY' },
    )
    assert.equal(console.seen.length, 0)
  },
)

test(
  'refuses an enrollment whose returned CA certificate is not the pinned one',
  { skip: !hasOpenssl },
  async (t) => {
    const ca = makeCa(t, 'console-ca')
    const other = makeCa(t, 'other-ca')
    const console = await httpsConsole(t, ca, enrolled(other))
    const token = parseEnrollmentToken(`dwe_secretsecret~${ca.fingerprint}`)
    await assert.rejects(
      enrollAgent(console.url, token, { name: 'web-01', kind: 'host', identity }),
      { code: 'DW_ERR_CONSOLE_IDENTITY' },
    )
  },
)

test(
  'after enrollment the pinned CA, and only it, vouches for the console',
  { skip: !hasOpenssl },
  async (t) => {
    const ca = makeCa(t, 'console-ca')
    const spec = () => ({
      status: 200,
      body: {
        intervalSeconds: 60,
        rules: {
          version: 1,
          collect: ['os'],
          oneFilesystem: true,
          contentMaxBytes: 65536,
          exclude: [],
          contentExclude: [],
          rules: [
            { path: '/etc', attributes: 'permissions', exclude: [], content: [], recurse: false },
          ],
        },
      },
    })
    const console = await httpsConsole(t, ca, spec)
    const credential = {
      console: console.url.href,
      nodeId: 7,
      credential: 'dwa_credential',
      identity,
      caCertificate: ca.caCertificate,
    }
    const fetched = await new ConsoleClient(console.url, credential).fetchSpec()
    assert.equal(fetched.intervalSeconds, 60)
    assert.deepEqual(fetched.rules.collect, ['os'])
    assert.equal(console.seen[0]?.authorization, 'Bearer dwa_credential')

    const other = makeCa(t, 'other-ca')
    const stranger = await httpsConsole(t, other, spec)
    await assert.rejects(new ConsoleClient(stranger.url, credential).fetchSpec(), {
      code: 'DW_ERR_CONSOLE_IDENTITY',
    })
    assert.equal(stranger.seen.length, 0)
  },
)

test('a console that does not answer in time is unreachable', async (t) => {
  const server = createHttpServer(() => {})
  const port = await listen(t, server)
  t.after(() => server.closeAllConnections())
  await assert.rejects(
    requestConsole({
      console: new URL(`http://127.0.0.1:${port}`),
      method: 'GET',
      path: '/api/v1/agents/spec',
      trust: { kind: 'plain' },
      timeoutMs: 200,
    }),
    { code: 'DW_ERR_CONSOLE_UNREACHABLE', message: /no answer within/ },
  )
})

test('an answer larger than the cap is refused', async (t) => {
  const seen: Seen[] = []
  const port = await listen(
    t,
    createHttpServer(serve(seen, () => ({ status: 200, body: 'x'.repeat(5000) }))),
  )
  await assert.rejects(
    requestConsole({
      console: new URL(`http://127.0.0.1:${port}`),
      method: 'GET',
      path: '/',
      trust: { kind: 'plain' },
      maxResponseBytes: 1000,
    }),
    { code: 'DW_ERR_CONSOLE_UNREACHABLE', message: /more than 1000 bytes/ },
  )
})

test('a closed port is unreachable, and an HTTPS console without a pinned CA is a usage error', async () => {
  await assert.rejects(
    requestConsole({
      console: new URL('http://127.0.0.1:1'),
      method: 'GET',
      path: '/',
      trust: { kind: 'plain' },
    }),
    { code: 'DW_ERR_CONSOLE_UNREACHABLE', message: /ECONNREFUSED/ },
  )
  await assert.rejects(
    enrollAgent(new URL('https://127.0.0.1:1'), parseEnrollmentToken('dwe_secretsecret'), {
      name: 'web-01',
      kind: 'host',
      identity,
    }),
    { code: 'DW_ERR_USAGE', message: /~<CA fingerprint>/ },
  )
})

test('an enrollment token is never echoed when it is malformed', () => {
  assert.throws(
    () => parseEnrollmentToken('dwx_topsecretvalue'),
    (error: Error) => {
      assert.doesNotMatch(error.message, /topsecret/)
      return true
    },
  )
})
