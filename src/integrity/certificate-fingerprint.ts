// The fingerprint a console's CA is pinned by: lowercase hex SHA-256 of the certificate's DER.
// The console prints it and puts it in enrollment tokens; the agent checks the console by it.
import { createHash, X509Certificate } from 'node:crypto'

/**
 * @example certificateFingerprint(readFileSync('ca.pem', 'utf8')) // '9f86d081…' (64 hex digits)
 */
export function certificateFingerprint(certificate: string | Buffer | X509Certificate): string {
  const parsed =
    certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate)
  return createHash('sha256').update(parsed.raw).digest('hex')
}
