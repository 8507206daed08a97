// An evidence export: the records of a range as JSON and CSV files, a manifest of their digests,
// and the console's signature over the manifest. Made in memory (the API sends it as one
// document) and written as a directory (the CLI).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DriftwatchError } from '../../errors/index.js'
import type { SigningKey } from '../../integrity/index.js'
import type { FleetStore } from '../../store/index.js'
import { toCsv } from './csv-table.js'
import { collectEvidence, type EvidenceQuery, type EvidenceRecords } from './evidence-records.js'
import {
  EVIDENCE_FORMAT,
  MANIFEST_FILE,
  manifestFile,
  serializeManifest,
  SIGNATURE_FILE,
  type EvidenceManifest,
} from './evidence-manifest.js'

export interface EvidenceBundle {
  readonly manifest: EvidenceManifest
  /** Base64 Ed25519 signature over the bytes of `manifest.json`. */
  readonly signature: string
  /** Every file by name, manifest.json and manifest.sig included. */
  readonly files: Readonly<Record<string, string>>
}

export interface EvidenceMaker {
  /** The console's host name. */
  readonly console: string
  /** The user of the API who asked, or `cli`. */
  readonly actor: string
  readonly now: Date
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`

function evidenceFiles(records: EvidenceRecords): Record<string, string> {
  return {
    'changes.json': json(records.changes),
    'changes.csv': toCsv(
      [
        'id',
        'node',
        'key',
        'kind',
        'summary',
        'detected_at',
        'scanned_at',
        'previous_scanned_at',
        'status',
        'verdict',
        'ticket',
        'verdict_reason',
        'resolved_at',
        'resolved_by',
        'resolution_reason',
      ],
      records.changes.map((c) => [
        c.id,
        c.node,
        c.key,
        c.kind,
        c.summary,
        c.detectedAt,
        c.scannedAt,
        c.previousScannedAt,
        c.status,
        c.verdict,
        c.ticket,
        c.verdictReason,
        c.resolvedAt,
        c.resolvedBy,
        c.resolutionReason,
      ]),
    ),
    'tickets.json': json(records.tickets),
    'tickets.csv': toCsv(
      [
        'id',
        'external_ref',
        'source',
        'title',
        'state',
        'approver',
        'approved_at',
        'window_start',
        'window_end',
        'scope_nodes',
        'scope_elements',
        'created_at',
        'updated_at',
        'authorized_changes',
      ],
      records.tickets.map((t) => [
        t.id,
        t.externalRef,
        t.source,
        t.title,
        t.state,
        t.approver,
        t.approvedAt,
        t.windowStart,
        t.windowEnd,
        t.scopeNodes.join(' '),
        t.scopeElements.join(' '),
        t.createdAt,
        t.updatedAt,
        t.authorizedChanges,
      ]),
    ),
    'corrective-actions.json': json(records.correctiveActions),
    'corrective-actions.csv': toCsv(
      ['at', 'action', 'node', 'key', 'actor', 'reason', 'change_id', 'audit_entry_id'],
      records.correctiveActions.map((a) => [
        a.at,
        a.action,
        a.node,
        a.key,
        a.actor,
        a.reason,
        a.changeId,
        a.auditEntryId,
      ]),
    ),
    'audit.json': json(records.audit),
  }
}

/**
 * Exports the evidence of a range and scope, signed by the console's evidence key.
 *
 * @example const bundle = await exportEvidence(store, evidenceQuery({ from, to }), evidenceKey(dataDir), { console: hostname(), actor: 'cli', now: new Date() })
 */
export async function exportEvidence(
  store: FleetStore,
  query: EvidenceQuery,
  signingKey: SigningKey,
  maker: EvidenceMaker,
): Promise<EvidenceBundle> {
  const records = await collectEvidence(store, query)
  const files = evidenceFiles(records)
  const manifest: EvidenceManifest = {
    format: EVIDENCE_FORMAT,
    range: { from: query.from, to: query.to },
    scope: query.nodes ?? null,
    createdAt: maker.now.toISOString(),
    createdBy: { console: maker.console, actor: maker.actor },
    counts: {
      changes: records.changes.length,
      tickets: records.tickets.length,
      correctiveActions: records.correctiveActions.length,
      auditEntries: records.audit.length,
    },
    files: Object.keys(files)
      .sort()
      .map((name) => manifestFile(name, files[name] ?? '')),
    key: {
      algorithm: 'ed25519',
      fingerprint: signingKey.fingerprint,
      publicKey: signingKey.publicPem(),
    },
  }
  const manifestText = serializeManifest(manifest)
  const signature = signingKey.sign(Buffer.from(manifestText, 'utf8'))
  return {
    manifest,
    signature,
    files: { ...files, [MANIFEST_FILE]: manifestText, [SIGNATURE_FILE]: `${signature}\n` },
  }
}

/**
 * Writes an export as a directory of its files; the directory must be new or empty, so no file
 * of an older export is left beside it.
 *
 * @example writeEvidence('evidence-2026-11', bundle)
 */
export function writeEvidence(directory: string, bundle: EvidenceBundle): string[] {
  mkdirSync(directory, { recursive: true })
  if (readdirSync(directory).length > 0) {
    throw new DriftwatchError(
      'DW_ERR_USAGE',
      `${directory} is not empty: give --out a new or empty directory`,
    )
  }
  const names = Object.keys(bundle.files).sort()
  for (const name of names) {
    writeFileSync(join(directory, name), bundle.files[name] ?? '', { flag: 'wx' })
  }
  return names
}
