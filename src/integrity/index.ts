// Tamper evidence: signing keys, baseline digests and seals.
export { SigningKey } from './signing-key.js'
export {
  BaselineDigest,
  chainAcceptance,
  EMPTY_CHAIN,
  sealPayload,
  type SealedFields,
} from './baseline-seal.js'
