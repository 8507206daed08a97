// Collects everything a collection spec asks for from one Target: the system collectors
// (accounts, packages, services …) and the file walk. The hash workers start when the
// collector is made, so they load while the caller verifies a baseline or reads a key.
import { isUncertain, serializeElement, type SerializedElement } from '../model/index.js'
import type { Target } from '../target/index.js'
import {
  FileCollector,
  type FileCollectorOptions,
  type NotChecked,
} from './files/file-collector.js'
import type { FileRules } from './files/file-rules.js'
import type { ElementSelection } from './system/element-selection.js'
import type { CommandRunner } from './system/system-collector.js'
import { collectSystem } from './system/system-collectors.js'

export interface SnapshotResult {
  /** Elements seen: files and system elements. */
  readonly entries: number
  /** Bytes of regular files read and hashed. */
  readonly bytes: number
  /** Everything that could not be looked at, and why. */
  readonly notChecked: readonly NotChecked[]
  /**
   * Key prefixes under which an absent element proves nothing: `file:<dir>/` of each directory
   * that could not be listed, and the kinds of elements whose source could not be read.
   */
  readonly uncertainPrefixes: readonly string[]
  /**
   * Whether an absent element proves it is gone: false under any of {@link uncertainPrefixes}.
   */
  readonly absenceProvesRemoval: (key: string) => boolean
}

export interface SnapshotCollectorOptions extends FileCollectorOptions {
  readonly commands: CommandRunner
  /** Collect files (default true): `driftwatch snapshot` may ask for system elements only. */
  readonly files?: boolean
  /** The system elements wanted (an assessment's); every one when undefined. Files follow the rules. */
  readonly selection?: ElementSelection | undefined
}

export class SnapshotCollector {
  private readonly files: FileCollector | undefined

  constructor(
    private readonly target: Target,
    private readonly rules: FileRules,
    private readonly options: SnapshotCollectorOptions,
  ) {
    this.files = options.files === false ? undefined : new FileCollector(target, rules, options)
  }

  /** Collects once, calling `onElement` for each element in no particular order. */
  async collect(onElement: (element: SerializedElement) => void): Promise<SnapshotResult> {
    const system = await collectSystem(this.rules.collect, {
      target: this.target,
      commands: this.options.commands,
      selection: this.options.selection,
    })
    for (const element of system.elements) onElement(serializeElement(element))
    const files = this.files === undefined ? undefined : await this.files.collect(onElement)
    const unlisted = (files?.unlisted ?? []).map((path) => `file:${path}/`)
    const uncertainPrefixes = [...new Set([...unlisted, ...system.unknownKeyPrefixes])].sort()
    return {
      entries: system.elements.length + (files?.entries ?? 0),
      bytes: files?.bytes ?? 0,
      notChecked: [...system.problems, ...(files?.notChecked ?? [])],
      uncertainPrefixes,
      absenceProvesRemoval: (key) => !isUncertain(key, uncertainPrefixes),
    }
  }

  /** Stops the hash workers when the collector is not used after all. */
  async close(): Promise<void> {
    await this.files?.close()
  }
}
