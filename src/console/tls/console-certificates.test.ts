import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, get } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import type { TLSSocket } from 'node:tls'
import { DriftwatchError } from '../../errors/index.js'
import { certificateFingerprint } from '../../integrity/index.js'
import { loadOrCreateConsoleTls } from './console-certificates.js'

const FILES = ['ca.crt', 'ca.key', 'server.crt', 'server.key']
const DAY_MS = 24 * 60 * 60 * 1000

function temporaryDirectory(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'dw-tls-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  return join(dir, 'tls')
}

/** Content and identity of each file: a rewrite shows as a new inode even within one millisecond. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => {
        const stat = statSync(join(dir, name))
        return [name, `${stat.ino}:${stat.mtimeMs}:${readFileSync(join(dir, name), 'utf8')}`]
      }),
  )
}

interface Answer {
  readonly body: string
  readonly issuerFingerprint: string
}

function fetchOverTls(url: string, ca: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = get(url, { ca, agent: false }, (response) => {
      const peer = (response.socket as TLSSocket).getPeerCertificate(true)
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => (body += chunk))
      response.on('end', () =>
        resolve({
          body,
          issuerFingerprint: peer.issuerCertificate.fingerprint256
            .replaceAll(':', '')
            .toLowerCase(),
        }),
      )
    })
    request.on('error', reject)
  })
}

test('an HTTPS console with the issued certificate is trusted by a client that knows only the CA', async (t) => {
  const tls = await loadOrCreateConsoleTls(temporaryDirectory(t), ['console.example.org'])
  const server = createServer({ key: tls.key, cert: tls.cert }, (_request, response) => {
    response.end('driftwatch')
  })
  await new Promise<void>((resolve) => server.listen(0, resolve))
  t.after(() => {
    server.closeAllConnections()
    server.close()
  })
  const { port } = server.address() as AddressInfo

  for (const url of [`https://127.0.0.1:${port}/`, `https://localhost:${port}/`]) {
    const answer = await fetchOverTls(url, tls.caCertificate)
    assert.equal(answer.body, 'driftwatch', url)
    assert.equal(answer.issuerFingerprint, tls.caFingerprint, url)
  }
  assert.match(tls.caFingerprint, /^[0-9a-f]{64}$/)
  assert.equal(certificateFingerprint(tls.caCertificate), tls.caFingerprint)

  const stranger = await loadOrCreateConsoleTls(temporaryDirectory(t), [])
  await assert.rejects(fetchOverTls(`https://127.0.0.1:${port}/`, stranger.caCertificate), {
    code: 'SELF_SIGNED_CERT_IN_CHAIN',
  })
})

test('a second start loads the same CA without rewriting; a new name re-issues only the server certificate', async (t) => {
  const dir = temporaryDirectory(t)
  const first = await loadOrCreateConsoleTls(dir, ['console.example.org'])
  const written = snapshot(dir)
  assert.deepEqual(Object.keys(written), FILES)

  const again = await loadOrCreateConsoleTls(dir, ['Console.Example.org'])
  assert.deepEqual(again, first)
  assert.deepEqual(snapshot(dir), written)

  const widened = await loadOrCreateConsoleTls(dir, ['console.example.org', '10.1.2.3', 'dw.lan'])
  assert.equal(widened.caFingerprint, first.caFingerprint)
  assert.equal(widened.caCertificate, first.caCertificate)
  const after = snapshot(dir)
  assert.equal(after['ca.key'], written['ca.key'])
  assert.equal(after['ca.crt'], written['ca.crt'])
  assert.notEqual(after['server.crt'], written['server.crt'])
  const served = new X509Certificate(widened.cert)
  for (const name of ['DNS:console.example.org', 'DNS:dw.lan', 'IP Address:10.1.2.3']) {
    assert.ok(
      served.subjectAltName?.split(', ').includes(name),
      `${name} in ${served.subjectAltName}`,
    )
  }
  assert.ok(served.verify(new X509Certificate(first.caCertificate).publicKey))
})

test('a server certificate expiring within 30 days is renewed by the same CA', async (t) => {
  const dir = temporaryDirectory(t)
  const issuedAt = new Date()
  const first = await loadOrCreateConsoleTls(dir, [], issuedAt)
  const firstExpiry = new Date(new X509Certificate(first.cert).validTo)
  assert.ok(firstExpiry.getTime() - issuedAt.getTime() > 700 * DAY_MS)

  const monthLater = new Date(issuedAt.getTime() + 31 * DAY_MS)
  assert.deepEqual(await loadOrCreateConsoleTls(dir, [], monthLater), first)

  const nearExpiry = new Date(firstExpiry.getTime() - 20 * DAY_MS)
  const renewed = await loadOrCreateConsoleTls(dir, [], nearExpiry)
  assert.equal(renewed.caFingerprint, first.caFingerprint)
  assert.ok(new Date(new X509Certificate(renewed.cert).validTo) > firstExpiry)
})

test('a damaged or half-missing CA is refused with the file named, and nothing is replaced', async (t) => {
  const dir = temporaryDirectory(t)
  await loadOrCreateConsoleTls(dir, [])
  const caCert = join(dir, 'ca.crt')
  const original = readFileSync(caCert, 'utf8')

  writeFileSync(caCert, original.slice(0, original.length / 2))
  const damaged = snapshot(dir)
  await assert.rejects(loadOrCreateConsoleTls(dir, ['new.example.org']), (error) => {
    assert.ok(error instanceof DriftwatchError)
    assert.equal(error.code, 'DW_ERR_IO')
    assert.ok(error.message.includes(caCert), error.message)
    return true
  })
  assert.deepEqual(snapshot(dir), damaged)

  // A valid certificate from another console is no better than a damaged one.
  const other = temporaryDirectory(t)
  await loadOrCreateConsoleTls(other, [])
  writeFileSync(caCert, readFileSync(join(other, 'ca.crt')))
  await assert.rejects(loadOrCreateConsoleTls(dir, []), {
    code: 'DW_ERR_IO',
    message: new RegExp(`${caCert} does not belong`),
  })

  rmSync(caCert)
  await assert.rejects(loadOrCreateConsoleTls(dir, []), {
    code: 'DW_ERR_IO',
    message: new RegExp(`${caCert} is missing`),
  })
  assert.deepEqual(readdirSync(dir).sort(), ['ca.key', 'server.crt', 'server.key'])
})

test('the key files are private to the console and no temporary files are left', async (t) => {
  const dir = temporaryDirectory(t)
  await loadOrCreateConsoleTls(dir, [])
  await loadOrCreateConsoleTls(dir, ['reissued.example.org'])
  assert.equal(statSync(dir).mode & 0o777, 0o700)
  assert.equal(statSync(join(dir, 'ca.key')).mode & 0o777, 0o600)
  assert.equal(statSync(join(dir, 'server.key')).mode & 0o777, 0o600)
  assert.deepEqual(readdirSync(dir).sort(), FILES)
})

test('a name that is neither a host name nor an IP address is refused before anything is written', async (t) => {
  const dir = temporaryDirectory(t)
  await assert.rejects(loadOrCreateConsoleTls(dir, ['console example']), {
    code: 'DW_ERR_USAGE',
    message: /"console example" is neither a host name nor an IP address/,
  })
  await assert.rejects(loadOrCreateConsoleTls(dir, ['fe80::1%eth0']), { code: 'DW_ERR_USAGE' })
  assert.throws(() => statSync(dir), { code: 'ENOENT' })
})
