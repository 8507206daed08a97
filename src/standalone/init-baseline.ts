// `driftwatch init`: scan the Target and store what is there as the signed baseline.
import { existsSync, rmSync } from 'node:fs'
import { LocalCommandRunner, SnapshotCollector, type NotChecked } from '../collect/index.js'
import { DriftwatchError } from '../errors/index.js'
import { BaselineDigest, EMPTY_CHAIN, sealPayload } from '../integrity/index.js'
import { SqliteLocalStore, type BaselineHeader } from '../store/index.js'
import { newSigningKey } from './key-source.js'
import type { ScanOptions } from './scan-options.js'
import { rulesForScan } from './scan-rules.js'

export interface InitResult {
  readonly elements: number
  readonly bytes: number
  readonly seconds: number
  readonly notChecked: readonly NotChecked[]
  readonly keyFingerprint: string
  /** The key file, when init created it. */
  readonly createdKeyFile?: string
}

/**
 * @example await initBaseline({ db: 'host.db', key: { kind: 'file', path: 'host.key' }, target })
 * @throws DriftwatchError DW_ERR_DB_ALREADY_INITIALIZED when the database holds a baseline
 */
export async function initBaseline(options: ScanOptions): Promise<InitResult> {
  const started = performance.now()
  const existed = existsSync(options.db)
  const store = SqliteLocalStore.open(options.db, { create: true })
  let committed = false
  let collector: SnapshotCollector | undefined
  try {
    if (store.header() !== undefined) {
      throw new DriftwatchError(
        'DW_ERR_DB_ALREADY_INITIALIZED',
        `${options.db} already holds a baseline: use driftwatch accept to update it, or remove the file to start again`,
      )
    }
    const rules = await rulesForScan({ rulesFile: options.rulesFile, target: options.target })
    // The hash workers start loading now, while the key is read or derived.
    collector = new SnapshotCollector(options.target, rules, {
      commands: options.commands ?? new LocalCommandRunner(),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.onDirectoryListed === undefined
        ? {}
        : { onDirectoryListed: options.onDirectoryListed }),
    })
    const { key, salt, created } = newSigningKey(options.key)
    store.beginBaseline()
    const scan = await collector.collect((element) => store.putElement(element))
    const digest = new BaselineDigest()
    for (const [elementKey, attributesDigest] of store.baselineDigests()) {
      digest.add(elementKey, attributesDigest)
    }
    const now = new Date().toISOString()
    const unsigned: Omit<BaselineHeader, 'signature'> = {
      version: 1,
      createdAt: now,
      updatedAt: now,
      target: options.target.description,
      rules: JSON.stringify(rules),
      elementCount: digest.elementCount,
      digest: digest.digest(),
      acceptancesDigest: EMPTY_CHAIN,
      keyFingerprint: key.fingerprint,
      keySalt: salt,
    }
    store.commitBaseline({ ...unsigned, signature: key.sign(sealPayload(unsigned)) })
    committed = true
    return {
      elements: unsigned.elementCount,
      bytes: scan.bytes,
      seconds: (performance.now() - started) / 1000,
      notChecked: scan.notChecked,
      keyFingerprint: key.fingerprint,
      ...(created && options.key.kind === 'file' ? { createdKeyFile: options.key.path } : {}),
    }
  } catch (error) {
    store.rollback()
    await collector?.close()
    throw error
  } finally {
    store.close()
    // A failed init leaves no half-made database behind (an existing file is left as it was).
    if (!committed && !existed) rmSync(options.db, { force: true })
  }
}
