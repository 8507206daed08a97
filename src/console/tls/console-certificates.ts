// The console serves HTTPS with a certificate from its own CA; agents pin the CA's fingerprint at
// enrollment, so the CA is made once and kept, while the server certificate is renewed as needed.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { chmod, mkdir, readFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import { join } from 'node:path'
import { DriftwatchError } from '../../errors/index.js'
import { certificateFingerprint } from '../../integrity/index.js'
import {
  issueCertificateAuthority,
  issueServerCertificate,
  type CertificateNames,
  type IssuedCertificate,
} from './certificate-issuer.js'
import { writeFileAtomically } from './write-file-atomically.js'

export interface ConsoleTls {
  /** PEM private key of the server certificate. */
  readonly key: string
  /** PEM: the server certificate followed by the CA certificate (the chain to send). */
  readonly cert: string
  /** PEM of the CA certificate alone: what an agent trusts. */
  readonly caCertificate: string
  /** Lowercase hex SHA-256 of the CA certificate's DER: what an agent pins. */
  readonly caFingerprint: string
}

/** Names every server certificate covers, so the console is reachable on the machine itself. */
const ALWAYS_COVERED = ['localhost', '127.0.0.1', '::1']
const RENEW_BEFORE_EXPIRY_MS = 30 * 24 * 60 * 60 * 1000
const DNS_NAME =
  /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/

/**
 * Loads the console's CA and server certificate from `directory`, creating them on first use.
 * The server certificate is re-issued by the same CA when it expires within 30 days or does not
 * cover every one of `names` (host names or IP addresses; `localhost`, `127.0.0.1` and `::1` are
 * always covered). The CA is never replaced: a missing half or a damaged file is an error, since
 * a new CA would break the fingerprint every agent has pinned.
 *
 * @throws DriftwatchError `DW_ERR_IO` naming the file when the CA cannot be read or is damaged,
 * `DW_ERR_USAGE` when a name is neither a host name nor an IP address.
 * @example
 * const tls = await loadOrCreateConsoleTls('/var/lib/driftwatch/tls', ['console.example.org'])
 * https.createServer({ key: tls.key, cert: tls.cert }, handler)
 */
export async function loadOrCreateConsoleTls(
  directory: string,
  names: readonly string[],
  now: Date = new Date(),
): Promise<ConsoleTls> {
  const wanted = certificateNames([...ALWAYS_COVERED, ...names])
  const files = {
    caKey: join(directory, 'ca.key'),
    caCert: join(directory, 'ca.crt'),
    serverKey: join(directory, 'server.key'),
    serverCert: join(directory, 'server.crt'),
  }

  const ca = await readCertificateAuthority(files.caKey, files.caCert, now)
  if (ca === undefined) {
    await mkdir(directory, { recursive: true, mode: 0o700 })
    // mkdir's mode is filtered by the umask and ignored for a directory that already exists.
    await chmod(directory, 0o700)
    const newCa = await issueCertificateAuthority(now)
    const server = await issueServerCertificate(newCa, wanted, now)
    await writeFileAtomically(files.caKey, newCa.key, 0o600)
    await writeFileAtomically(files.caCert, newCa.cert, 0o644)
    await writeServerCertificate(files, server)
    return consoleTls(server, new X509Certificate(newCa.cert))
  }

  const current = await readServerCertificate(files.serverKey, files.serverCert)
  if (current !== undefined && isCurrent(current.certificate, ca.certificate, wanted, now)) {
    return consoleTls(current.pem, ca.certificate)
  }
  const server = await issueServerCertificate(ca.pem, wanted, now)
  await writeServerCertificate(files, server)
  return consoleTls(server, ca.certificate)
}

function consoleTls(server: IssuedCertificate, ca: X509Certificate): ConsoleTls {
  const caCertificate = ca.toString()
  return {
    key: server.key,
    cert: `${server.cert.trimEnd()}\n${caCertificate.trimEnd()}\n`,
    caCertificate,
    caFingerprint: certificateFingerprint(ca),
  }
}

async function writeServerCertificate(
  files: { serverKey: string; serverCert: string },
  server: IssuedCertificate,
): Promise<void> {
  // Key first: if the console stops between the two writes, the old certificate no longer matches
  // the new key, so the next start notices and issues again.
  await writeFileAtomically(files.serverKey, server.key, 0o600)
  await writeFileAtomically(files.serverCert, server.cert, 0o644)
}

interface LoadedCa {
  readonly pem: IssuedCertificate
  readonly certificate: X509Certificate
}

async function readCertificateAuthority(
  keyPath: string,
  certPath: string,
  now: Date,
): Promise<LoadedCa | undefined> {
  const [keyPem, certPem] = [await readIfPresent(keyPath), await readIfPresent(certPath)]
  if (keyPem === undefined && certPem === undefined) return undefined
  if (keyPem === undefined || certPem === undefined) {
    const [missing, present] = keyPem === undefined ? [keyPath, certPath] : [certPath, keyPath]
    throw new DriftwatchError(
      'DW_ERR_IO',
      `${missing} is missing but ${present} exists: restore it from a backup, or delete both to ` +
        'create a new console CA (every agent must then enroll again)',
    )
  }
  const key = parseOrThrow(keyPath, 'a PEM private key', () => createPrivateKey(keyPem))
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new DriftwatchError('DW_ERR_IO', `${keyPath}: not an ECDSA P-256 private key`)
  }
  const certificate = parseOrThrow(
    certPath,
    'a PEM certificate',
    () => new X509Certificate(certPem),
  )
  if (!certificate.ca || !certificate.checkIssued(certificate)) {
    throw new DriftwatchError('DW_ERR_IO', `${certPath}: not a self-signed CA certificate`)
  }
  if (!certificate.checkPrivateKey(key)) {
    throw new DriftwatchError('DW_ERR_IO', `${certPath} does not belong to the key in ${keyPath}`)
  }
  const expiry = new Date(certificate.validTo)
  if (expiry <= now) {
    throw new DriftwatchError(
      'DW_ERR_IO',
      `${certPath}: the console CA expired on ${expiry.toISOString()}; agents refuse every ` +
        'certificate it signs',
    )
  }
  return { pem: { key: keyPem, cert: certPem }, certificate }
}

interface LoadedServerCertificate {
  readonly pem: IssuedCertificate
  readonly certificate: X509Certificate
}

// Unlike the CA, a missing or damaged server certificate is simply issued again: no agent pins it.
async function readServerCertificate(
  keyPath: string,
  certPath: string,
): Promise<LoadedServerCertificate | undefined> {
  const [keyPem, certPem] = [await readIfPresent(keyPath), await readIfPresent(certPath)]
  if (keyPem === undefined || certPem === undefined) return undefined
  try {
    const certificate = new X509Certificate(certPem)
    if (!certificate.checkPrivateKey(createPrivateKey(keyPem))) return undefined
    return { pem: { key: keyPem, cert: certPem }, certificate }
  } catch {
    return undefined
  }
}

function isCurrent(
  server: X509Certificate,
  ca: X509Certificate,
  wanted: CertificateNames,
  now: Date,
): boolean {
  const signedByCa = server.checkIssued(ca) && server.verify(ca.publicKey)
  const notYetValid = new Date(server.validFrom) > now
  const expiresSoon = new Date(server.validTo).getTime() - now.getTime() < RENEW_BEFORE_EXPIRY_MS
  return signedByCa && !notYetValid && !expiresSoon && coversNames(server, wanted)
}

function coversNames(server: X509Certificate, wanted: CertificateNames): boolean {
  // node prints names it would have to escape in quotes; ours never need escaping, so a quoted
  // entry simply matches nothing and the certificate is issued again.
  const dnsNames = new Set(
    (server.subjectAltName ?? '')
      .split(', ')
      .filter((entry) => entry.startsWith('DNS:'))
      .map((entry) => entry.slice('DNS:'.length).toLowerCase()),
  )
  return (
    wanted.dnsNames.every((name) => dnsNames.has(name)) &&
    wanted.ipAddresses.every((address) => server.checkIP(address) !== undefined)
  )
}

function certificateNames(names: readonly string[]): CertificateNames {
  const dnsNames = new Set<string>()
  const ipAddresses = new Set<string>()
  for (const name of names) {
    const trimmed = name.trim()
    const version = isIP(trimmed)
    if (version === 6 && trimmed.includes('%')) {
      throw new DriftwatchError(
        'DW_ERR_USAGE',
        `console name ${name}: a certificate cannot name an IPv6 zone; leave out the '%' part`,
      )
    }
    if (version === 4) ipAddresses.add(trimmed)
    // The URL parser writes an IPv6 address in its canonical form: '::1' and '0:0::1' are one.
    else if (version === 6) ipAddresses.add(new URL(`http://[${trimmed}]`).hostname.slice(1, -1))
    else {
      const dnsName = trimmed.toLowerCase().replace(/\.$/, '')
      if (dnsName.length > 253 || !DNS_NAME.test(dnsName)) {
        throw new DriftwatchError(
          'DW_ERR_USAGE',
          `console name ${JSON.stringify(name)} is neither a host name nor an IP address`,
        )
      }
      dnsNames.add(dnsName)
    }
  }
  return { dnsNames: [...dnsNames], ipAddresses: [...ipAddresses] }
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new DriftwatchError('DW_ERR_IO', `${path}: ${(error as Error).message}`, { cause: error })
  }
}

function parseOrThrow<T extends KeyObject | X509Certificate>(
  path: string,
  what: string,
  parse: () => T,
): T {
  try {
    return parse()
  } catch (error) {
    throw new DriftwatchError(
      'DW_ERR_IO',
      `${path} is not ${what} (${(error as Error).message}): restore it from a backup; a new ` +
        'console CA would make every agent enroll again',
      { cause: error },
    )
  }
}
