// Issues the console's CA certificate and the server certificates it signs. Only this file uses
// @peculiar/x509, and only through a lazy import (see loadX509).
import type * as X509 from '@peculiar/x509'
import { createPrivateKey, KeyObject, randomBytes, webcrypto } from 'node:crypto'

/** A private key and its certificate, both PEM. */
export interface IssuedCertificate {
  readonly key: string
  readonly cert: string
}

/** What a server certificate's subjectAltName lists, already validated and without duplicates. */
export interface CertificateNames {
  readonly dnsNames: readonly string[]
  readonly ipAddresses: readonly string[]
}

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const CA_VALIDITY_YEARS = 10
const SERVER_VALIDITY_YEARS = 2
// Certificates start an hour in the past so that an agent whose clock runs a little slow does not
// refuse a certificate the console has just issued.
const CLOCK_SKEW_MS = 60 * 60 * 1000

let x509Module: Promise<typeof X509> | undefined

// @peculiar/x509 loads its ASN.1 schemas, a dependency-injection container and a reflection
// polyfill. A console that finds its certificates on disk never needs any of that, so the library
// is imported only the first time a certificate has to be issued.
async function loadX509(): Promise<typeof X509> {
  x509Module ??= import('@peculiar/x509').then((x509) => {
    x509.cryptoProvider.set(webcrypto)
    return x509
  })
  try {
    return await x509Module
  } catch (error) {
    x509Module = undefined
    throw error
  }
}

/**
 * Creates a new certificate authority: an ECDSA P-256 key and a self-signed certificate valid
 * for ten years, named `driftwatch console CA <random id>` so that two consoles' CAs differ.
 *
 * @example
 * const ca = await issueCertificateAuthority(new Date())
 * // ca.cert starts with '-----BEGIN CERTIFICATE-----'
 */
export async function issueCertificateAuthority(now: Date): Promise<IssuedCertificate> {
  const x509 = await loadX509()
  const keys = await newKeyPair()
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: `CN=driftwatch console CA ${randomBytes(6).toString('hex')}`,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: yearsAfter(now, CA_VALIDITY_YEARS),
    keys,
    signingAlgorithm: ECDSA_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  })
  return { key: privateKeyPem(keys.privateKey), cert: certificate.toString('pem') + '\n' }
}

/**
 * Issues a server certificate signed by `ca`, with a new ECDSA P-256 key, valid for two years
 * (never beyond the CA itself) for the given DNS names and IP addresses.
 *
 * @example
 * const names = { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }
 * const server = await issueServerCertificate(ca, names, new Date())
 */
export async function issueServerCertificate(
  ca: IssuedCertificate,
  names: CertificateNames,
  now: Date,
): Promise<IssuedCertificate> {
  const x509 = await loadX509()
  const caCertificate = new x509.X509Certificate(ca.cert)
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    createPrivateKey(ca.key).export({ type: 'pkcs8', format: 'der' }),
    ECDSA_P256,
    false,
    ['sign'],
  )
  const keys = await newKeyPair()
  const notAfter = yearsAfter(now, SERVER_VALIDITY_YEARS)
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: 'CN=driftwatch console',
    issuer: caCertificate.subjectName,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    // A certificate that outlives its issuer is refused by some clients.
    notAfter: notAfter < caCertificate.notAfter ? notAfter : caCertificate.notAfter,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ECDSA_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dnsNames.map((value) => ({ type: 'dns' as const, value })),
        ...names.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCertificate.publicKey),
    ],
  })
  return { key: privateKeyPem(keys.privateKey), cert: certificate.toString('pem') + '\n' }
}

async function newKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify'])
}

function privateKeyPem(key: webcrypto.CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString()
}

// 16 random bytes with the top bit clear, so the DER integer stays positive and full length.
function randomSerialNumber(): string {
  const bytes = randomBytes(16)
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40
  return bytes.toString('hex')
}

function yearsAfter(date: Date, years: number): Date {
  const later = new Date(date.getTime())
  later.setUTCFullYear(later.getUTCFullYear() + years)
  return later
}
