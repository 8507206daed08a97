// Evidence for auditors: a signed, verifiable export of changes, tickets and corrective actions.
export { toCsv, type CsvCell } from './csv-table.js'
export {
  collectEvidence,
  evidenceQuery,
  type CorrectiveAction,
  type EvidenceChange,
  type EvidenceQuery,
  type EvidenceRecords,
  type EvidenceTicket,
} from './evidence-records.js'
export {
  exportEvidence,
  writeEvidence,
  type EvidenceBundle,
  type EvidenceMaker,
} from './evidence-export.js'
export { evidenceKey, existingEvidenceKey } from './evidence-key.js'
export {
  MANIFEST_FILE,
  SIGNATURE_FILE,
  type EvidenceManifest,
  type ManifestFile,
} from './evidence-manifest.js'
export { verifyEvidence, type EvidenceVerification } from './evidence-verification.js'
