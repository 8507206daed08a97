// authorized_keys: `[options] keytype base64-blob [comment]` per line, as sshd(8) reads it.
// Each key is recorded by the fingerprint `ssh-keygen -l` shows; a line sshd would not accept
// is a problem naming `file:line`, never quoted.
import type { ConfigLine } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'
import { hasUnsafeCharacters } from './safe-text.js'
import { sshFingerprint } from './ssh-fingerprint.js'

export interface AuthorizedKey {
  readonly keyType: string
  /** `SHA256:…`, as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string
  /** Empty when the line has none. */
  readonly comment: string
  /** The options field as written (`from="10.0.0.1",no-pty`); empty when there is none. */
  readonly options: string
  readonly line: number
}

const PLAIN_KEY_TYPES = [
  'ssh-rsa',
  'ssh-dss',
  'ssh-ed25519',
  'ssh-ed448',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'sk-ssh-ed25519@openssh.com',
  'ssh-xmss@openssh.com',
]

/** Key types sshd accepts in authorized_keys, certificates included. */
export const SSH_KEY_TYPES: ReadonlySet<string> = new Set([
  ...PLAIN_KEY_TYPES,
  ...PLAIN_KEY_TYPES.map((type) => `${type.replace(/@openssh\.com$/, '')}-cert-v01@openssh.com`),
])

/**
 * Parses authorized_keys lines. Comments and blank lines are skipped; for a key listed twice the
 * first line wins, as in sshd.
 *
 * @example parseAuthorizedKeys(lines, '/root/.ssh/authorized_keys', problems)[0]?.fingerprint
 */
export function parseAuthorizedKeys(
  lines: readonly ConfigLine[],
  path: string,
  problems: CollectionProblem[],
): AuthorizedKey[] {
  const keys: AuthorizedKey[] = []
  const seen = new Set<string>()
  for (const { number, text } of lines) {
    const line = text.replace(/^[ \t]+/, '')
    if (line === '' || line.startsWith('#')) continue
    const parsed = hasUnsafeCharacters(line) ? 'control characters' : parseKeyLine(line, number)
    if (typeof parsed === 'string') {
      problems.push({ path: `${path}:${number}`, reason: 'malformed', detail: parsed })
      continue
    }
    if (seen.has(parsed.fingerprint)) continue
    seen.add(parsed.fingerprint)
    keys.push(parsed)
  }
  return keys
}

/** The key on one line, or why sshd would not accept it (never quoting the line). */
function parseKeyLine(line: string, number: number): AuthorizedKey | string {
  let options = ''
  let rest = line
  const first = firstWord(line)
  if (!SSH_KEY_TYPES.has(first)) {
    const end = optionsEnd(line)
    if (end === undefined) return 'unterminated quote in the options'
    options = line.slice(0, end)
    rest = line.slice(end).replace(/^[ \t]+/, '')
  }
  const keyType = firstWord(rest)
  if (!SSH_KEY_TYPES.has(keyType)) return 'no known key type'
  rest = rest.slice(keyType.length).replace(/^[ \t]+/, '')
  const data = firstWord(rest)
  const comment = rest.slice(data.length).trim()
  const blob = decodeKeyBlob(data, keyType)
  if (blob === undefined) return 'key data is not a valid key of its type'
  return { keyType, fingerprint: sshFingerprint(blob), comment, options, line: number }
}

function firstWord(text: string): string {
  const match = /^[^ \t]*/.exec(text)
  return match?.[0] ?? ''
}

/** Where the options field ends: at the first blank outside double quotes. */
function optionsEnd(line: string): number | undefined {
  let quoted = false
  for (let index = 0; index < line.length; index++) {
    const char = line[index]
    if (!quoted && (char === ' ' || char === '\t')) return index
    if (quoted && char === '\\' && line[index + 1] === '"') index += 1
    else if (char === '"') quoted = !quoted
  }
  return quoted ? undefined : line.length
}

/**
 * The decoded blob, when it is base64 and starts with its own key type (as sshd checks): a line
 * whose type and data disagree is not a key.
 */
function decodeKeyBlob(data: string, keyType: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 !== 0) return undefined
  const blob = Buffer.from(data, 'base64')
  if (blob.length < 4) return undefined
  const length = blob.readUInt32BE(0)
  if (length > blob.length - 4) return undefined
  const inner = blob.subarray(4, 4 + length).toString('latin1')
  return inner === keyType ? blob : undefined
}
