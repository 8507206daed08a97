// SSH key fingerprints as `ssh-keygen -l` prints them, so a report can be matched with what
// the key's owner sees on their laptop.
import { createHash } from 'node:crypto'

/**
 * `SHA256:` and the unpadded base64 of the SHA-256 of the key blob (the decoded second field of
 * an authorized_keys line).
 *
 * @example sshFingerprint(Buffer.from(keyData, 'base64')) // 'SHA256:s2MOljTGAzg0py8eOUPhb…'
 */
export function sshFingerprint(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}
