// `driftwatch snapshot`: every element of a Target, as the collectors see it now — no baseline,
// no database. For looking at what driftwatch records, and for piping into other tools.
import {
  LocalCommandRunner,
  SnapshotCollector,
  SYSTEM_COLLECTORS,
  type CommandRunner,
  type NotChecked,
  type SystemCollectorName,
} from '../collect/index.js'
import { deserializeElement, type Element } from '../model/index.js'
import type { Target } from '../target/index.js'
import { DriftwatchError } from '../errors/index.js'
import { rulesForScan } from './scan-rules.js'
import type { ScanProgress } from './scan-options.js'

/** What `--collect` may name: the system collectors and the file walk. */
export const SNAPSHOT_PARTS = [...SYSTEM_COLLECTORS, 'files'] as const
export type SnapshotPart = (typeof SNAPSHOT_PARTS)[number]

export interface SnapshotOptions {
  readonly target: Target
  /** Default: every system collector, no files. */
  readonly collect?: readonly SnapshotPart[] | undefined
  readonly rulesFile?: string | undefined
  readonly threads?: number | undefined
  readonly commands?: CommandRunner | undefined
  readonly onProgress?: ((progress: ScanProgress) => void) | undefined
}

export interface Snapshot {
  readonly target: string
  readonly takenAt: string
  /** Sorted by key. */
  readonly elements: readonly Element[]
  readonly notChecked: readonly NotChecked[]
}

/**
 * @example await takeSnapshot({ target: openTarget({}), collect: ['accounts'] })
 */
export async function takeSnapshot(options: SnapshotOptions): Promise<Snapshot> {
  const takenAt = new Date().toISOString()
  const parts = new Set(options.collect ?? SYSTEM_COLLECTORS)
  const rules = await rulesForScan({ rulesFile: options.rulesFile, target: options.target })
  const collectors = SYSTEM_COLLECTORS.filter((name: SystemCollectorName) => parts.has(name))
  const collector = new SnapshotCollector(
    options.target,
    { ...rules, collect: collectors },
    {
      commands: options.commands ?? new LocalCommandRunner(),
      files: parts.has('files'),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    },
  )
  const elements: Element[] = []
  const result = await collector.collect((element) => elements.push(deserializeElement(element)))
  elements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return { target: options.target.description, takenAt, elements, notChecked: result.notChecked }
}

/** Parses `--collect accounts,packages,files`. */
export function parseSnapshotParts(list: string): SnapshotPart[] {
  const parts = list
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
  const unknown = parts.filter((part) => !(SNAPSHOT_PARTS as readonly string[]).includes(part))
  if (unknown.length > 0 || parts.length === 0) {
    throw new DriftwatchError(
      'DW_ERR_USAGE',
      `--collect: ${unknown.length > 0 ? `unknown ${unknown.join(', ')}` : 'nothing named'}; ` +
        `choose from ${SNAPSHOT_PARTS.join(', ')}`,
    )
  }
  return parts as SnapshotPart[]
}
