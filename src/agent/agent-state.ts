// What the agent keeps between runs, in its state directory (docs/agent.md): its credential, the
// state the console last acknowledged, the last collection spec, the next sequence number, and
// the spool of snapshots not yet delivered.
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { FileRules } from '../collect/index.js'
import { DriftwatchError } from '../errors/index.js'
import type { NodeIdentity } from '../store/index.js'
import type { AcknowledgedState } from './snapshot-delta.js'
import { SnapshotSpool } from './snapshot-spool.js'
import {
  ensurePrivateDirectory,
  readJsonFile,
  removeInterruptedWrites,
  writeFileAtomically,
} from './state-files.js'

/** What enrollment gave the agent; `identity` is what it reported then. */
export interface AgentCredential {
  readonly console: string
  readonly nodeId: number
  readonly credential: string
  readonly identity: NodeIdentity
  /** The console's private CA (PEM), for an HTTPS console. */
  readonly caCertificate?: string | undefined
}

/** What to collect, as the console last said. */
export interface CollectionSpec {
  readonly rules: FileRules
  readonly intervalSeconds: number
}

const CREDENTIAL = 'credential.json'
const ACKNOWLEDGED = 'acknowledged.json'
const SPEC = 'spec.json'
const NEXT_SEQUENCE = 'next-sequence'

export class AgentState {
  readonly spool: SnapshotSpool
  /**
   * The acknowledged state as last read or written: it holds a digest per element (hundreds of
   * thousands on a host), and every collection and push asks for it. This object is its only
   * writer, so the file is parsed once.
   */
  private acknowledgedState: AcknowledgedState | undefined

  /**
   * Opens (creating, mode 0700) a state directory.
   *
   * @example new AgentState('/var/lib/driftwatch/agent', { spoolLimit: 50, warn: console.error })
   */
  constructor(
    readonly directory: string,
    options: { spoolLimit: number; warn: (line: string) => void },
  ) {
    ensurePrivateDirectory(directory)
    removeInterruptedWrites(directory)
    this.spool = new SnapshotSpool(join(directory, 'spool'), options)
  }

  credential(): AgentCredential | undefined {
    const value = readJsonFile(this.path(CREDENTIAL))
    if (value === undefined) return undefined
    const credential = value as Partial<AgentCredential>
    if (
      typeof credential.console !== 'string' ||
      typeof credential.nodeId !== 'number' ||
      typeof credential.credential !== 'string' ||
      typeof credential.identity !== 'object'
    ) {
      throw new DriftwatchError('DW_ERR_IO', `${this.path(CREDENTIAL)} is not an agent credential`)
    }
    return credential as AgentCredential
  }

  saveCredential(credential: AgentCredential): void {
    writeFileAtomically(this.path(CREDENTIAL), `${JSON.stringify(credential, null, 2)}\n`)
  }

  /** The state of the snapshot the console last acknowledged; sequence 0 when none. */
  acknowledged(): AcknowledgedState {
    if (this.acknowledgedState !== undefined) return this.acknowledgedState
    const value = readJsonFile(this.path(ACKNOWLEDGED)) as Partial<AcknowledgedState> | undefined
    if (value === undefined) return { sequence: 0, elements: {} }
    if (typeof value.sequence !== 'number' || typeof value.elements !== 'object') {
      throw new DriftwatchError('DW_ERR_IO', `${this.path(ACKNOWLEDGED)} is not agent state`)
    }
    this.acknowledgedState = value as AcknowledgedState
    return this.acknowledgedState
  }

  saveAcknowledged(state: AcknowledgedState): void {
    writeFileAtomically(this.path(ACKNOWLEDGED), JSON.stringify(state))
    this.acknowledgedState = state
  }

  /** The spec last fetched, so that an agent restarted while the console is down still collects. */
  spec(): CollectionSpec | undefined {
    return readJsonFile(this.path(SPEC)) as CollectionSpec | undefined
  }

  saveSpec(spec: CollectionSpec): void {
    writeFileAtomically(this.path(SPEC), JSON.stringify(spec))
  }

  /**
   * Hands out the next snapshot sequence number and records that it is taken. Never below what
   * the acknowledged state and the spool already used, so a lost counter cannot go back.
   */
  takeSequence(): number {
    const sequence = Math.max(
      this.storedNextSequence(),
      this.acknowledged().sequence + 1,
      (this.spool.sequences().at(-1) ?? 0) + 1,
    )
    this.raiseNextSequence(sequence + 1)
    return sequence
  }

  /** Makes sure sequences handed out later are at least `next`. */
  raiseNextSequence(next: number): void {
    if (next > this.storedNextSequence()) {
      writeFileAtomically(this.path(NEXT_SEQUENCE), `${next}\n`)
    }
  }

  /**
   * Forgets the node: credential, acknowledged state, spec and spool. For a clone of a template,
   * whose state belongs to the template's node and must never be used by the clone.
   */
  forgetNode(): void {
    for (const name of [CREDENTIAL, ACKNOWLEDGED, SPEC, NEXT_SEQUENCE]) {
      rmSync(this.path(name), { force: true })
    }
    this.acknowledgedState = undefined
    this.spool.clear()
  }

  /** Forgets what the console acknowledged: the next snapshot goes whole. */
  forgetAcknowledged(): void {
    rmSync(this.path(ACKNOWLEDGED), { force: true })
    this.acknowledgedState = undefined
  }

  private storedNextSequence(): number {
    try {
      const value = Number(readFileSync(this.path(NEXT_SEQUENCE), 'utf8').trim())
      return Number.isSafeInteger(value) && value > 0 ? value : 1
    } catch {
      return 1
    }
  }

  private path(name: string): string {
    return join(this.directory, name)
  }
}
