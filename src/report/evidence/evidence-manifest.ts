// The manifest of an evidence export: every file with its SHA-256 and size, the range and scope,
// who made it, and the public half of the key that signs it (manifest.sig).
import { createHash } from 'node:crypto'

export const MANIFEST_FILE = 'manifest.json'
export const SIGNATURE_FILE = 'manifest.sig'
export const EVIDENCE_FORMAT = 'driftwatch-evidence/1'

export interface ManifestFile {
  readonly name: string
  readonly sha256: string
  readonly bytes: number
}

export interface EvidenceManifest {
  readonly format: typeof EVIDENCE_FORMAT
  readonly range: { readonly from: string; readonly to: string }
  /** The node scope (`tag:…`, `name:…`), or null for every node. */
  readonly scope: string | null
  readonly createdAt: string
  /** The console (its host name) and who asked: a user of the API, or `cli`. */
  readonly createdBy: { readonly console: string; readonly actor: string }
  readonly counts: {
    readonly changes: number
    readonly tickets: number
    readonly correctiveActions: number
    readonly auditEntries: number
  }
  readonly files: readonly ManifestFile[]
  readonly key: {
    readonly algorithm: 'ed25519'
    readonly fingerprint: string
    readonly publicKey: string
  }
}

/**
 * SHA-256 of a file's bytes, in hex.
 *
 * @example sha256Hex(Buffer.from('')) // 'e3b0c442…'
 */
export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/**
 * The manifest entry of one file.
 *
 * @example manifestFile('changes.csv', 'node,key\r\n')
 */
export function manifestFile(name: string, content: string): ManifestFile {
  const bytes = Buffer.from(content, 'utf8')
  return { name, sha256: sha256Hex(bytes), bytes: bytes.length }
}

/**
 * The manifest's text, the bytes the signature covers.
 *
 * @example serializeManifest(manifest).endsWith('}\n') // true
 */
export function serializeManifest(manifest: EvidenceManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`
}
