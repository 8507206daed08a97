// The key that signs a baseline. Ed25519, from a key file kept outside the database (the default)
// or derived from a passphrase (scrypt). docs/signing.md gives the threat model.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  scryptSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { DriftwatchError } from '../errors/index.js'

// PKCS#8 DER header of an Ed25519 private key; the 32-byte seed follows it.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')
const SCRYPT_PARAMETERS = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }

export class SigningKey {
  /** `ed25519:` and the first 32 hex digits of the SHA-256 of the public key. */
  readonly fingerprint: string

  private constructor(
    private readonly publicKey: KeyObject,
    private readonly privateKey: KeyObject | undefined,
    readonly source: string,
  ) {
    const spki = publicKey.export({ format: 'der', type: 'spki' })
    this.fingerprint = `ed25519:${createHash('sha256').update(spki).digest('hex').slice(0, 32)}`
  }

  get canSign(): boolean {
    return this.privateKey !== undefined
  }

  sign(payload: Buffer): string {
    if (this.privateKey === undefined) {
      throw new DriftwatchError(
        'DW_ERR_KEY_INVALID',
        `${this.source} holds only a public key: it can verify a baseline, not sign one`,
      )
    }
    return sign(null, payload, this.privateKey).toString('base64')
  }

  verify(payload: Buffer, signature: string): boolean {
    return verify(null, payload, this.publicKey, Buffer.from(signature, 'base64'))
  }

  /** Reads a PEM key file: a private key (signs and verifies) or a public key (verifies). */
  static fromFile(path: string): SigningKey {
    let pem: string
    try {
      pem = readFileSync(path, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw new DriftwatchError(
        code === 'ENOENT' ? 'DW_ERR_KEY_MISSING' : 'DW_ERR_KEY_INVALID',
        `signing key ${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      )
    }
    try {
      if (pem.includes('PRIVATE KEY')) {
        const privateKey = createPrivateKey(pem)
        assertEd25519(privateKey)
        return new SigningKey(createPublicKey(privateKey), privateKey, path)
      }
      const publicKey = createPublicKey(pem)
      assertEd25519(publicKey)
      return new SigningKey(publicKey, undefined, path)
    } catch (error) {
      throw new DriftwatchError(
        'DW_ERR_KEY_INVALID',
        `signing key ${path}: ${(error as Error).message}`,
      )
    }
  }

  /** A public key given as PEM text (from a signed document), which verifies only. */
  static fromPublicPem(pem: string, source: string): SigningKey {
    try {
      const publicKey = createPublicKey(pem)
      assertEd25519(publicKey)
      return new SigningKey(publicKey, undefined, source)
    } catch (error) {
      throw new DriftwatchError('DW_ERR_KEY_INVALID', `${source}: ${(error as Error).message}`)
    }
  }

  /** Creates a new private key file (mode 0600, its folder 0700 if created). */
  static createFile(path: string): SigningKey {
    if (existsSync(path)) return SigningKey.fromFile(path)
    const { privateKey } = generateKeyPairSync('ed25519')
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      mode: 0o600,
      flag: 'wx',
    })
    chmodSync(path, 0o600)
    return SigningKey.fromFile(path)
  }

  /** Derives the key from a passphrase and the database's salt. */
  static fromPassphrase(passphrase: string, salt: string): SigningKey {
    if (passphrase.length < 12) {
      throw new DriftwatchError(
        'DW_ERR_KEY_INVALID',
        'the passphrase must be at least 12 characters',
      )
    }
    const seed = scryptSync(passphrase, Buffer.from(salt, 'hex'), 32, SCRYPT_PARAMETERS)
    const privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    })
    return new SigningKey(createPublicKey(privateKey), privateKey, 'passphrase')
  }

  /** Exports the public half, for hosts that only verify. */
  publicPem(): string {
    return this.publicKey.export({ format: 'pem', type: 'spki' }).toString()
  }
}

function assertEd25519(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `an Ed25519 key is needed, this is ${key.asymmetricKeyType ?? 'not an asymmetric key'}`,
    )
  }
}
