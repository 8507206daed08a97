// Checking an evidence directory: the signature over manifest.json by the key the manifest
// names (and, when the caller knows the console's key, that it is that key), then every file's
// size and SHA-256, then that no file was added. The first problem found is the one reported.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { DriftwatchError } from '../../errors/index.js'
import { SigningKey } from '../../integrity/index.js'
import {
  EVIDENCE_FORMAT,
  MANIFEST_FILE,
  sha256Hex,
  SIGNATURE_FILE,
  type EvidenceManifest,
  type ManifestFile,
} from './evidence-manifest.js'

export interface EvidenceVerification {
  readonly manifest: EvidenceManifest
  /** The fingerprint of the key that signed the manifest. */
  readonly fingerprint: string
  /** True when the signing key is the one the caller expected; false when none was given. */
  readonly pinned: boolean
  readonly files: number
}

const FILE_NAME = /^[a-z0-9][a-z0-9.-]*$/
const SHA256 = /^[0-9a-f]{64}$/

function tampered(message: string): DriftwatchError {
  return new DriftwatchError('DW_ERR_EVIDENCE_TAMPERED', message)
}

function readEvidenceFile(directory: string, name: string): Buffer {
  try {
    return readFileSync(join(directory, name))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw tampered(`${name} is missing`)
    throw new DriftwatchError('DW_ERR_IO', `${join(directory, name)}: ${(error as Error).message}`)
  }
}

function isManifestFile(value: unknown): value is ManifestFile {
  const file = value as Partial<ManifestFile> | null
  return (
    typeof file === 'object' &&
    file !== null &&
    typeof file.name === 'string' &&
    FILE_NAME.test(file.name) &&
    file.name !== MANIFEST_FILE &&
    file.name !== SIGNATURE_FILE &&
    typeof file.sha256 === 'string' &&
    SHA256.test(file.sha256) &&
    typeof file.bytes === 'number'
  )
}

function parseManifest(bytes: Buffer): EvidenceManifest {
  let manifest: Partial<EvidenceManifest>
  try {
    manifest = JSON.parse(bytes.toString('utf8')) as Partial<EvidenceManifest>
  } catch {
    throw tampered(`${MANIFEST_FILE} is not valid JSON`)
  }
  if (
    manifest.format !== EVIDENCE_FORMAT ||
    typeof manifest.key?.publicKey !== 'string' ||
    !Array.isArray(manifest.files) ||
    !manifest.files.every(isManifestFile)
  ) {
    throw tampered(`${MANIFEST_FILE} is not a ${EVIDENCE_FORMAT} manifest`)
  }
  return manifest as EvidenceManifest
}

function checkSignature(manifestBytes: Buffer, signatureBytes: Buffer, key: SigningKey): void {
  const text = signatureBytes.toString('utf8')
  const signature = text.endsWith('\n') ? text.slice(0, -1) : text
  // Base64 decoders skip stray characters and ignore the spare bits of the last one, so a
  // signature file edited there would still decode to the same signature: demand the exact text.
  const canonical = Buffer.from(signature, 'base64').toString('base64')
  if (`${canonical}\n` !== text || !key.verify(manifestBytes, signature)) {
    throw tampered(`${SIGNATURE_FILE}: the signature does not match ${MANIFEST_FILE}`)
  }
}

/**
 * Verifies an evidence directory; throws DW_ERR_EVIDENCE_TAMPERED naming the first problem.
 *
 * @example const { fingerprint, pinned } = verifyEvidence('evidence-2026-11', { expectedKey })
 */
export function verifyEvidence(
  directory: string,
  options: { expectedKey?: SigningKey | undefined } = {},
): EvidenceVerification {
  if (!statSync(directory, { throwIfNoEntry: false })?.isDirectory()) {
    throw new DriftwatchError('DW_ERR_USAGE', `${directory} is not a directory`)
  }
  const manifestBytes = readEvidenceFile(directory, MANIFEST_FILE)
  const signatureBytes = readEvidenceFile(directory, SIGNATURE_FILE)
  const manifest = parseManifest(manifestBytes)
  let key: SigningKey
  try {
    key = SigningKey.fromPublicPem(manifest.key.publicKey, `${MANIFEST_FILE} key`)
  } catch {
    throw tampered(`${MANIFEST_FILE}: its public key is not an Ed25519 key`)
  }
  checkSignature(manifestBytes, signatureBytes, key)
  if (manifest.key.fingerprint !== key.fingerprint) {
    throw tampered(`${MANIFEST_FILE}: its key fingerprint is not that of its public key`)
  }
  const expected = options.expectedKey
  if (expected !== undefined && expected.fingerprint !== key.fingerprint) {
    throw tampered(
      `signed by ${key.fingerprint}, not by the expected key ${expected.fingerprint} ` +
        `(${expected.source})`,
    )
  }
  for (const file of manifest.files) {
    const bytes = readEvidenceFile(directory, file.name)
    if (bytes.length !== file.bytes || sha256Hex(bytes) !== file.sha256) {
      throw tampered(`${file.name} does not match its SHA-256 in ${MANIFEST_FILE}`)
    }
  }
  const listed = new Set([MANIFEST_FILE, SIGNATURE_FILE, ...manifest.files.map((f) => f.name)])
  const extra = readdirSync(directory)
    .sort()
    .find((name) => !listed.has(name))
  if (extra !== undefined) throw tampered(`${extra} is not in ${MANIFEST_FILE}`)
  return {
    manifest,
    fingerprint: key.fingerprint,
    pinned: expected !== undefined,
    files: manifest.files.length,
  }
}
