// Authenticating a console by its private CA: by the CA's fingerprint before enrollment (the
// token carries it), by the CA certificate itself afterwards.
import { X509Certificate } from 'node:crypto'
import { certificateFingerprint } from '../integrity/index.js'
import type { PeerCertificate, DetailedPeerCertificate } from 'node:tls'

/**
 * Whether the server certificate a TLS peer showed was issued (directly or through the
 * intermediates it sent) by the CA with this fingerprint. The CA certificate is public, so
 * finding it in the chain is not enough: every link's signature is checked, and the TLS handshake
 * itself proved the peer holds the server certificate's key.
 *
 * @example chainIsPinned(socket.getPeerCertificate(true), token.caFingerprint)
 */
export function chainIsPinned(peer: DetailedPeerCertificate, fingerprint: string): boolean {
  const chain = peerChain(peer)
  let subject = chain[0]
  if (subject === undefined) return false
  if (certificateFingerprint(subject) === fingerprint) return isSelfSigned(subject)
  for (const issuer of chain.slice(1)) {
    if (!issuedBy(subject, issuer)) return false
    if (certificateFingerprint(issuer) === fingerprint) return true
    subject = issuer
  }
  return false
}

function peerChain(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = []
  const seen = new Set<string>()
  let current: PeerCertificate | undefined = peer
  while (current?.raw !== undefined && chain.length < 10) {
    const certificate = new X509Certificate(current.raw)
    const fingerprint = certificateFingerprint(certificate)
    // The root of a chain names itself as its issuer.
    if (seen.has(fingerprint)) break
    seen.add(fingerprint)
    chain.push(certificate)
    current = (current as DetailedPeerCertificate).issuerCertificate
  }
  return chain
}

function issuedBy(subject: X509Certificate, issuer: X509Certificate): boolean {
  return subject.checkIssued(issuer) && subject.verify(issuer.publicKey)
}

function isSelfSigned(certificate: X509Certificate): boolean {
  return issuedBy(certificate, certificate)
}
