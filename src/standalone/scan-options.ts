// Options shared by the commands that scan a Target.
import type { CommandRunner, FileScanProgress } from '../collect/index.js'
import type { Target } from '../target/index.js'
import type { KeySource } from './key-source.js'

export interface ScanProgress extends FileScanProgress {
  /** Entries the scan expects to see (the baseline's count), when known: for an ETA. */
  readonly expectedEntries?: number
}

export interface ScanOptions {
  /** Path of the SQLite database. */
  readonly db: string
  readonly key: KeySource
  readonly target: Target
  /** A rules file; otherwise the baseline's rules, otherwise the default for the Target. */
  readonly rulesFile?: string | undefined
  readonly threads?: number | undefined
  readonly onProgress?: ((progress: ScanProgress) => void) | undefined
  /** Runs programs for live readings (systemctl, ip); the local one by default. */
  readonly commands?: CommandRunner | undefined
  /** Test hook: called after each directory is listed. */
  readonly onDirectoryListed?: ((rawHostPath: string) => void) | undefined
}
