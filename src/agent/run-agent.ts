// The agent loop: enroll, then on every cycle refresh the spec, collect, spool and send the spool.
// `runAgentOnce` does one cycle (for cron, tests and `--once`); `runAgent` repeats it until stopped.
import { setTimeout as sleep } from 'node:timers/promises'
import { LocalCommandRunner, type CommandRunner } from '../collect/index.js'
import { DriftwatchError } from '../errors/index.js'
import type { NodeIdentity } from '../store/index.js'
import { openTarget, type Target } from '../target/index.js'
import { consoleUrl, enrollAgain, ensureEnrolled } from './agent-enrollment.js'
import { AgentState, type AgentCredential, type CollectionSpec } from './agent-state.js'
import { changedFileProvenance } from './changed-file-provenance.js'
import { collectSnapshot } from './collect-snapshot.js'
import { ConsoleClient } from './console-client.js'
import { readMachineIdentity } from './machine-identity.js'
import { flushSpool, type FlushResult, type PushedSnapshot } from './spool-sender.js'

export interface AgentOptions {
  /** The console's URL; needed to enroll, else the one enrolled with. */
  readonly console?: string | undefined
  /** `dwe_…`: used only when the agent has no credential for this machine. */
  readonly enrollmentToken?: string | undefined
  /** Where the credential, acknowledged state and spool live (created 0700). */
  readonly stateDir: string
  /** A root filesystem in a directory instead of the live host. */
  readonly root?: string | undefined
  /** Seconds between collections; default: what the console's spec says. */
  readonly intervalSeconds?: number | undefined
  /** Snapshots spooled at most (default 50); the oldest go first. */
  readonly spoolLimit?: number | undefined
  readonly threads?: number | undefined
  /** Per request to the console (default 30 s). */
  readonly requestTimeoutMs?: number | undefined
  /** Longest wait between attempts to reach the console (default 300 s). */
  readonly maxBackoffSeconds?: number | undefined
}

export interface AgentIo {
  /** Receives one plain line per cycle, and warnings. Never a credential or token. */
  readonly stderr: { write(text: string): unknown }
  /** Stops the agent between steps; the spool survives. */
  readonly signal?: AbortSignal | undefined
  /** Runs programs for the collectors on the live host (default: LocalCommandRunner). */
  readonly commands?: CommandRunner | undefined
  readonly now?: (() => Date) | undefined
}

export interface AgentCycleResult {
  readonly nodeId: number
  /** The sequence of the snapshot collected this cycle; undefined when none could be. */
  readonly collected: number | undefined
  readonly pushed: readonly PushedSnapshot[]
  readonly dropped: readonly number[]
  /** Snapshots still waiting for the console. */
  readonly spooled: number
  /** Everything collected was delivered and the spool is empty. */
  readonly delivered: boolean
  /** Why not delivered, for people. */
  readonly problem?: string | undefined
}

const DEFAULT_SPOOL_LIMIT = 50
const DEFAULT_INTERVAL_SECONDS = 3600
const FIRST_BACKOFF_SECONDS = 5

/**
 * Collects and pushes once, sending what was spooled before first.
 *
 * @example const { delivered } = await runAgentOnce({ console: url, enrollmentToken, stateDir }, { stderr: process.stderr })
 * @throws DriftwatchError DW_ERR_NODE_IDENTITY_MISMATCH, DW_ERR_UNAUTHENTICATED,
 *   DW_ERR_ENROLLMENT_REFUSED, DW_ERR_CONSOLE_IDENTITY, DW_ERR_USAGE, DW_ERR_IO
 */
export async function runAgentOnce(options: AgentOptions, io: AgentIo): Promise<AgentCycleResult> {
  const agent = await AgentRun.start(options, io)
  const result = await agent.cycle({ collect: true })
  agent.report(result)
  return result
}

/**
 * Runs until `io.signal` aborts: a collection every interval, and in between, while snapshots
 * wait, attempts to reach the console with exponential backoff.
 *
 * @example await runAgent({ console: url, enrollmentToken, stateDir }, { stderr: process.stderr, signal })
 * @throws DriftwatchError as {@link runAgentOnce}, except that an unreachable or unverifiable
 *   console is retried, never thrown
 */
export async function runAgent(options: AgentOptions, io: AgentIo): Promise<void> {
  const maxBackoff = (options.maxBackoffSeconds ?? 300) * 1000
  let backoff = 0
  let agent: AgentRun | undefined
  // A console still starting (the agent may boot first) is waited for; a refused token is not.
  while (agent === undefined) {
    try {
      agent = await AgentRun.start(options, io)
    } catch (error) {
      const unreachable =
        error instanceof DriftwatchError && error.code === 'DW_ERR_CONSOLE_UNREACHABLE'
      if (!unreachable) throw error
      backoff = nextBackoff(backoff, maxBackoff)
      io.stderr.write(`${error.message}; trying again in ${Math.round(backoff / 1000)} s\n`)
      await pause(jitter(backoff), io.signal)
      if (io.signal?.aborted === true) return
    }
  }
  backoff = 0
  let nextCollection = Date.now()
  while (io.signal?.aborted !== true) {
    const started = Date.now()
    const collect = started >= nextCollection
    const result = await agent.cycle({ collect })
    if (collect || result.pushed.length > 0 || !result.delivered) agent.report(result)
    if (collect && result.collected !== undefined) {
      nextCollection = started + agent.intervalSeconds() * 1000
    }
    backoff = result.delivered ? 0 : nextBackoff(backoff, maxBackoff)
    // Without a spec nothing can be collected: the next collection is the next attempt.
    if (collect && result.collected === undefined) nextCollection = started + backoff
    const retry = backoff === 0 ? Infinity : started + jitter(backoff)
    await pause(Math.min(nextCollection, retry) - Date.now(), io.signal)
  }
}

function nextBackoff(current: number, max: number): number {
  return Math.min(max, Math.max(FIRST_BACKOFF_SECONDS * 1000, current * 2))
}

/** ±20 %, so that agents cut off together do not all come back in the same second. */
function jitter(milliseconds: number): number {
  return milliseconds * (0.8 + Math.random() * 0.4)
}

async function pause(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  if (milliseconds <= 0) return
  try {
    await sleep(milliseconds, undefined, signal === undefined ? {} : { signal })
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error
  }
}

/** One agent process: its state, target, identity and credential. */
class AgentRun {
  private spec: CollectionSpec | undefined
  private reenrolled = false

  private constructor(
    private readonly options: AgentOptions,
    private readonly io: AgentIo,
    private readonly state: AgentState,
    private readonly target: Target,
    private readonly identity: NodeIdentity,
    private credential: AgentCredential,
    private client: ConsoleClient,
  ) {
    this.spec = state.spec()
  }

  static async start(options: AgentOptions, io: AgentIo): Promise<AgentRun> {
    const log = (line: string): void => void io.stderr.write(`${line}\n`)
    const spoolLimit = options.spoolLimit ?? DEFAULT_SPOOL_LIMIT
    if (!Number.isInteger(spoolLimit) || spoolLimit < 1) {
      throw new DriftwatchError('DW_ERR_USAGE', 'the spool must hold at least one snapshot')
    }
    const target = openTarget({ root: options.root })
    const state = new AgentState(options.stateDir, { spoolLimit, warn: log })
    const identity = readMachineIdentity(target)
    const credential = await ensureEnrolled({
      state,
      identity,
      console: options.console,
      enrollmentToken: options.enrollmentToken,
      timeoutMs: options.requestTimeoutMs,
      log,
    })
    const client = AgentRun.clientFor(options, credential)
    return new AgentRun(options, io, state, target, identity, credential, client)
  }

  private static clientFor(options: AgentOptions, credential: AgentCredential): ConsoleClient {
    return new ConsoleClient(
      consoleUrl(options.console ?? credential.console),
      credential,
      options.requestTimeoutMs,
    )
  }

  intervalSeconds(): number {
    return this.options.intervalSeconds ?? this.spec?.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS
  }

  /** Refreshes the spec, collects (when asked and a spec is known) and sends the spool. */
  async cycle(step: { collect: boolean }): Promise<AgentCycleResult> {
    let problem: string | undefined
    let collected: number | undefined
    if (step.collect) {
      problem = await this.refreshSpec()
      if (this.spec !== undefined && this.io.signal?.aborted !== true) {
        collected = await this.collect(this.spec)
      }
    }
    const flushed = await this.flush()
    const failure =
      flushed.failure?.message ??
      (collected === undefined && step.collect ? (problem ?? 'no collection spec yet') : undefined)
    return {
      nodeId: this.credential.nodeId,
      collected,
      pushed: flushed.pushed,
      dropped: flushed.dropped,
      spooled: flushed.spooled,
      delivered: flushed.spooled === 0 && failure === undefined,
      ...(failure === undefined ? {} : { problem: failure }),
    }
  }

  /** One plain line for the cycle. */
  report(result: AgentCycleResult): void {
    const lines: string[] = []
    if (result.pushed.length > 0) {
      const first = result.pushed[0]?.sequence
      const last = result.pushed.at(-1)?.sequence
      // A duplicate's changes were counted when it was first stored.
      const changes = result.pushed
        .filter((pushed) => pushed.status === 'stored')
        .reduce((sum, pushed) => sum + pushed.changes, 0)
      const which = first === last ? `snapshot ${first}` : `snapshots ${first}–${last}`
      const duplicates = result.pushed.filter((pushed) => pushed.status === 'duplicate').length
      lines.push(
        `pushed ${which}: ${changes} ${changes === 1 ? 'change' : 'changes'}` +
          (duplicates > 0 ? ` (${duplicates} already stored)` : ''),
      )
    }
    if (!result.delivered) {
      const spooled = `${result.spooled} ${result.spooled === 1 ? 'snapshot' : 'snapshots'} spooled`
      lines.push(`${result.problem ?? 'console unreachable'}; ${spooled}`)
    } else if (result.pushed.length === 0 && result.collected === undefined) {
      lines.push('nothing to send')
    }
    for (const line of lines) this.io.stderr.write(`${line}\n`)
  }

  /** Fetches the spec; on failure keeps the last one. Returns why it could not be fetched. */
  private async refreshSpec(): Promise<string | undefined> {
    try {
      this.spec = await this.client.fetchSpec()
      this.state.saveSpec(this.spec)
      return undefined
    } catch (error) {
      if (!(error instanceof DriftwatchError) || isFatal(error)) throw error
      if (this.spec === undefined) return error.message
      this.io.stderr.write(`${error.message}; collecting with the last spec\n`)
      return undefined
    }
  }

  private async collect(spec: CollectionSpec): Promise<number> {
    const snapshot = await collectSnapshot({
      target: this.target,
      rules: spec.rules,
      commands: this.io.commands ?? new LocalCommandRunner(),
      threads: this.options.threads,
      sequence: this.state.takeSequence(),
      now: this.io.now ?? (() => new Date()),
    })
    const provenance = changedFileProvenance(
      this.target,
      snapshot.elements,
      this.state.acknowledged(),
    )
    this.state.spool.add(provenance.length === 0 ? snapshot : { ...snapshot, provenance })
    return snapshot.sequence
  }

  private async flush(): Promise<FlushResult> {
    const context = () => ({
      state: this.state,
      client: this.client,
      identity: this.identity,
      warn: (line: string) => void this.io.stderr.write(`${line}\n`),
      signal: this.io.signal,
    })
    try {
      return await flushSpool(context())
    } catch (error) {
      const clone =
        error instanceof DriftwatchError && error.code === 'DW_ERR_NODE_IDENTITY_MISMATCH'
      if (!clone || this.options.enrollmentToken === undefined || this.reenrolled) throw error
      // The console holds another machine's identity for this credential: enroll as a node of
      // our own with the (template) token, once, and send the spool there.
      this.reenrolled = true
      this.io.stderr.write(`${error.message}; enrolling anew\n`)
      this.credential = await enrollAgain({
        state: this.state,
        identity: this.identity,
        console: this.options.console,
        enrollmentToken: this.options.enrollmentToken,
        timeoutMs: this.options.requestTimeoutMs,
        log: (line) => void this.io.stderr.write(`${line}\n`),
      })
      this.client = AgentRun.clientFor(this.options, this.credential)
      return await flushSpool(context())
    }
  }
}

/** Errors that end the agent: retrying cannot cure them. */
function isFatal(error: DriftwatchError): boolean {
  return error.code === 'DW_ERR_UNAUTHENTICATED' || error.code === 'DW_ERR_NODE_IDENTITY_MISMATCH'
}
