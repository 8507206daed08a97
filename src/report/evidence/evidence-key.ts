// The console's evidence key: an Ed25519 key file in the console's data directory, made on first
// use. The CLI (reading the store directly) and the API sign with the same file.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { SigningKey } from '../../integrity/index.js'

export const EVIDENCE_KEY_FILE = 'evidence.key'

/**
 * The key that signs evidence exports, created (mode 0600) when the data directory has none.
 *
 * @example const key = evidenceKey(config.dataDir)
 */
export function evidenceKey(dataDir: string): SigningKey {
  return SigningKey.createFile(join(dataDir, EVIDENCE_KEY_FILE))
}

/**
 * The evidence key of a data directory when it has one; verifying never creates a key.
 *
 * @example existingEvidenceKey('/var/lib/driftwatch')?.fingerprint
 */
export function existingEvidenceKey(dataDir: string): SigningKey | undefined {
  const path = join(dataDir, EVIDENCE_KEY_FILE)
  return existsSync(path) ? SigningKey.fromFile(path) : undefined
}
