// Tamper evidence: signing keys, baseline digests and seals.
export { SigningKey } from './signing-key.js'
export {
  BaselineDigest,
  checkSealPayload,
  type CheckSealFields,
  chainAcceptance,
  EMPTY_CHAIN,
  sealPayload,
  type SealedFields,
} from './baseline-seal.js'
export { certificateFingerprint } from './certificate-fingerprint.js'
