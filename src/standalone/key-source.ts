// Where the signing key comes from: a key file (default) or a passphrase.
import { randomBytes } from 'node:crypto'
import { DriftwatchError } from '../errors/index.js'
import { SigningKey } from '../integrity/index.js'
import type { BaselineHeader } from '../store/index.js'

export type KeySource =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'passphrase'; readonly passphrase: string }

/** For `init`: the key that will sign the new baseline, and the salt to store with it. */
export function newSigningKey(source: KeySource): {
  key: SigningKey
  salt: string | null
  created: boolean
} {
  if (source.kind === 'passphrase') {
    const salt = randomBytes(16).toString('hex')
    return { key: SigningKey.fromPassphrase(source.passphrase, salt), salt, created: false }
  }
  try {
    return { key: SigningKey.fromFile(source.path), salt: null, created: false }
  } catch (error) {
    if (error instanceof DriftwatchError && error.code === 'DW_ERR_KEY_MISSING') {
      return { key: SigningKey.createFile(source.path), salt: null, created: true }
    }
    throw error
  }
}

/** For `check` and `accept`: the key of an existing baseline. */
export function existingSigningKey(source: KeySource, header: BaselineHeader): SigningKey {
  if (header.keySalt !== null) {
    if (source.kind !== 'passphrase') {
      throw new DriftwatchError(
        'DW_ERR_KEY_MISSING',
        'this baseline is signed with a passphrase: set DRIFTWATCH_PASSPHRASE or use --passphrase-file',
      )
    }
    return SigningKey.fromPassphrase(source.passphrase, header.keySalt)
  }
  if (source.kind !== 'file') {
    throw new DriftwatchError(
      'DW_ERR_KEY_MISSING',
      'this baseline is signed with a key file: use --key FILE',
    )
  }
  return SigningKey.fromFile(source.path)
}
