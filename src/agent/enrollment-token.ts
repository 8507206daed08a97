// The one-time enrollment token an administrator gives an agent: `dwe_<secret>` for a plain-HTTP
// console on loopback, `dwe_<secret>~<fingerprint>` for an HTTPS console, where the fingerprint
// (SHA-256 of the console CA's DER) lets the agent authenticate a console it has no CA for yet.
import { DriftwatchError } from '../errors/index.js'

export interface EnrollmentToken {
  /** The whole token as given, sent to the console as it is. */
  readonly token: string
  /** Lowercase hex SHA-256 of the console CA certificate's DER, for an HTTPS console. */
  readonly caFingerprint?: string | undefined
}

const TOKEN = /^dwe_[A-Za-z0-9_-]{8,}(?:~([0-9a-fA-F]{64}))?$/

/**
 * @example parseEnrollmentToken('dwe_q3…~9f86d0…').caFingerprint // '9f86d0…'
 * @throws DriftwatchError DW_ERR_USAGE when it is not a token
 */
export function parseEnrollmentToken(text: string): EnrollmentToken {
  const token = text.trim()
  const match = TOKEN.exec(token)
  if (match === null) {
    // Never echo the text: it may be a real token with a typo, and this message may be logged.
    throw new DriftwatchError(
      'DW_ERR_USAGE',
      '--enroll: not an enrollment token (expected dwe_… as the console printed it)',
    )
  }
  const fingerprint = match[1]?.toLowerCase()
  return { token, ...(fingerprint === undefined ? {} : { caFingerprint: fingerprint }) }
}
