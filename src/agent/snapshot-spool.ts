// The spool: whole snapshots waiting for the console, one file each, named by sequence so that a
// directory listing gives the order they are sent in. A snapshot is spooled before it is sent,
// so a crash between collecting and sending loses nothing.
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { SpooledSnapshot } from './snapshot-delta.js'
import {
  ensurePrivateDirectory,
  readJsonFile,
  removeInterruptedWrites,
  writeFileAtomically,
} from './state-files.js'

const FILE_NAME = /^(\d{12})\.json$/

export interface SpoolOptions {
  /** Snapshots kept at most; beyond it the oldest are dropped, never the newest. */
  readonly spoolLimit: number
  readonly warn: (line: string) => void
}

export class SnapshotSpool {
  /**
   * @example new SnapshotSpool('/var/lib/driftwatch/agent/spool', { spoolLimit: 50, warn })
   */
  constructor(
    readonly directory: string,
    private readonly options: SpoolOptions,
  ) {
    ensurePrivateDirectory(directory)
    removeInterruptedWrites(directory)
  }

  /** Sequences of the spooled snapshots, oldest first. */
  sequences(): number[] {
    const sequences: number[] = []
    for (const name of readdirSync(this.directory)) {
      const match = FILE_NAME.exec(name)
      if (match?.[1] !== undefined) sequences.push(Number(match[1]))
    }
    return sequences.sort((a, b) => a - b)
  }

  /** Spools a snapshot; drops the oldest when there are more than the limit. */
  add(snapshot: SpooledSnapshot): void {
    writeFileAtomically(this.file(snapshot.sequence), JSON.stringify(snapshot))
    const sequences = this.sequences()
    const excess = sequences.length - this.options.spoolLimit
    for (const sequence of sequences.slice(0, Math.max(0, excess))) {
      this.remove(sequence)
      this.options.warn(
        `spool full (${this.options.spoolLimit} snapshots): dropped snapshot ${sequence}, the oldest not delivered`,
      )
    }
  }

  /** A spooled snapshot; a damaged file is reported and removed (it can never be sent). */
  read(sequence: number): SpooledSnapshot | undefined {
    try {
      const snapshot = readJsonFile(this.file(sequence)) as SpooledSnapshot | undefined
      if (snapshot === undefined) return undefined
      if (snapshot.sequence !== sequence || !Array.isArray(snapshot.elements)) {
        throw new Error('not a spooled snapshot')
      }
      return snapshot
    } catch (error) {
      this.options.warn(
        `spooled snapshot ${sequence} is damaged (${(error as Error).message}): dropped`,
      )
      this.remove(sequence)
      return undefined
    }
  }

  remove(sequence: number): void {
    rmSync(this.file(sequence), { force: true })
  }

  clear(): void {
    for (const sequence of this.sequences()) this.remove(sequence)
  }

  /**
   * Gives every spooled snapshot, in order, a sequence above `floor` (raised to the highest spooled
   * sequence if below it): for when the console holds a newer sequence than the agent had.
   * Newest first, so after a crash midway the files still list in the order they were taken.
   * Uuids stay: the console never stored these, and a snapshot left twice by a crash is then
   * acknowledged as a duplicate instead of counted twice. Returns the next free sequence.
   *
   * @example spool.renumberAbove(40) // snapshots 3, 4 become 41, 42; returns 43
   */
  renumberAbove(floor: number): number {
    const sequences = this.sequences()
    const base = Math.max(floor, sequences.at(-1) ?? 0)
    for (let index = sequences.length - 1; index >= 0; index--) {
      const old = sequences[index] as number
      const snapshot = this.read(old)
      if (snapshot === undefined) continue
      const sequence = base + 1 + index
      writeFileAtomically(this.file(sequence), JSON.stringify({ ...snapshot, sequence }))
      this.remove(old)
    }
    return base + 1 + sequences.length
  }

  private file(sequence: number): string {
    return join(this.directory, `${String(sequence).padStart(12, '0')}.json`)
  }
}
