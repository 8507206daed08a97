// Runs virsh for the libvirt connector. Starting virsh and opening a connection costs far more
// than one command (a test:/// node file is parsed again, an ssh session set up again), so many
// commands run in one virsh process, `;`-separated, each followed by an `echo` of a random marker
// that splits the output back into one answer per command. No shell is involved.
import { execFile, type ExecFileException } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { DriftwatchError } from '../../errors/index.js'
import { textWithoutCredentials, uriWithoutCredentials } from '../uri-without-credentials.js'

/** The answers to one batch of virsh commands run on one connection. */
export interface VirshBatch {
  /** Each command's standard output, in the order given; '' for a command that failed. */
  readonly outputs: readonly string[]
  /**
   * Everything virsh wrote on standard error for the batch: the failures of single commands
   * (`error: failed to get domain '…'`), which name the domain, network or pool concerned.
   */
  readonly errors: string
}

/** What the connector needs of virsh: run commands on the connection to one URI. */
export interface VirshRunner {
  /** The URI, without credentials. */
  readonly uri: string
  /**
   * @throws DriftwatchError DW_ERR_HYPERVISOR_UNREACHABLE when virsh cannot connect, is refused,
   *   loses the connection or does not answer in time.
   */
  run(commands: readonly string[], signal?: AbortSignal): Promise<VirshBatch>
}

export interface ExecVirshRunnerOptions {
  /** The libvirt URI, credentials and all: virsh needs it whole. */
  readonly uri: string
  /** The virsh program; default `virsh` found on PATH. */
  readonly virsh?: string
  /** Per virsh process; default 120 s. */
  readonly timeoutMs?: number
  /**
   * The environment virsh runs in (HOME and SSH_AUTH_SOCK matter for `qemu+ssh://`). LC_ALL is
   * always C: the connector reads virsh's English messages. Default: a plain PATH only.
   */
  readonly env?: NodeJS.ProcessEnv
}

const DEFAULT_TIMEOUT_MS = 120_000
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024
/** Linux refuses a single argument longer than 128 KiB (MAX_ARG_STRLEN): batches stay below. */
const MAX_BATCH_CHARS = 100_000

/** Messages with which libvirt says the connection itself failed, not one command. */
const CONNECTION_FAILURES = [
  /failed to connect to the hypervisor/i,
  /authentication (failed|unavailable)/i,
  /failed to connect socket/i,
  /unable to connect to server/i,
  /cannot (recv|write) data/i,
  /end of file while reading data/i,
  /no valid connection/i,
  /connection reset by peer/i,
  /broken pipe/i,
  /client socket is closed/i,
]

/**
 * @example
 * const virsh = new ExecVirshRunner({ uri: 'qemu:///system' })
 * const { outputs } = await virsh.run(['hostname', 'list --all --uuid'])
 */
export class ExecVirshRunner implements VirshRunner {
  readonly uri: string
  readonly #options: ExecVirshRunnerOptions

  constructor(options: ExecVirshRunnerOptions) {
    this.#options = options
    this.uri = uriWithoutCredentials(options.uri)
  }

  async run(commands: readonly string[], signal?: AbortSignal): Promise<VirshBatch> {
    const outputs: string[] = []
    let errors = ''
    for (const batch of splitIntoBatches(commands)) {
      const answer = await this.#runOne(batch, signal)
      outputs.push(...answer.outputs)
      errors += answer.errors
    }
    return { outputs, errors }
  }

  async #runOne(commands: readonly string[], signal?: AbortSignal): Promise<VirshBatch> {
    const marker = `@@driftwatch-${randomBytes(8).toString('hex')}@@`
    const script = commands.map((command) => `${command} ; echo ${marker}`).join(' ; ')
    const { stdout, stderr, failure } = await this.#execVirsh(
      ['-c', this.#options.uri, script],
      signal,
    )
    const errors = textWithoutCredentials(stderr)
    if (failure?.code === 'ENOENT') {
      throw this.#unreachable('virsh is not installed (Debian: apt-get install libvirt-clients)')
    }
    if (failure?.killed === true && failure.signal !== null && signal?.aborted !== true) {
      throw this.#unreachable(`no answer within ${this.#timeoutMs() / 1000} s`)
    }
    if (signal?.aborted === true) throw signal.reason
    if (CONNECTION_FAILURES.some((pattern) => pattern.test(errors))) {
      throw this.#unreachable(firstLines(errors))
    }
    // Not quiet (-q): `vol-list` would drop its header, which says where its Path column starts.
    // virsh then ends every command's output with an extra newline, taken off here.
    const parts = stdout.split(`${marker}\n`).map((part) => part.replace(/\n$/, ''))
    if (parts.length - 1 < commands.length) {
      throw new DriftwatchError(
        'DW_ERR_HYPERVISOR_RESPONSE',
        `virsh for ${this.uri} stopped after ${parts.length - 1} of ${commands.length} commands` +
          (errors.trim() === '' ? '' : `: ${firstLines(errors)}`),
      )
    }
    return { outputs: parts.slice(0, commands.length), errors }
  }

  #execVirsh(
    args: readonly string[],
    signal?: AbortSignal,
  ): Promise<{ stdout: string; stderr: string; failure: ExecFileException | null }> {
    return new Promise((resolve) => {
      execFile(
        this.#options.virsh ?? 'virsh',
        args,
        {
          encoding: 'utf8',
          timeout: this.#timeoutMs(),
          maxBuffer: MAX_OUTPUT_BYTES,
          env: { ...(this.#options.env ?? { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }), LC_ALL: 'C' },
          ...(signal === undefined ? {} : { signal }),
        },
        // virsh exits 1 when the last command of a batch failed: that is one command's failure,
        // told from a connection failure by what virsh wrote, not by the exit status.
        (failure, stdout, stderr) => resolve({ stdout, stderr, failure }),
      )
    })
  }

  #timeoutMs(): number {
    return this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  }

  #unreachable(detail: string): DriftwatchError {
    return new DriftwatchError(
      'DW_ERR_HYPERVISOR_UNREACHABLE',
      `cannot reach libvirt at ${this.uri}: ${detail}`,
      { details: { uri: this.uri } },
    )
  }
}

/** Splits commands into batches whose virsh argument stays under the kernel's limit. */
function splitIntoBatches(commands: readonly string[]): string[][] {
  const batches: string[][] = []
  let current: string[] = []
  let size = 0
  for (const command of commands) {
    const cost = command.length + 48 // the marker's echo and the separators
    if (current.length > 0 && size + cost > MAX_BATCH_CHARS) {
      batches.push(current)
      current = []
      size = 0
    }
    current.push(command)
    size += cost
  }
  if (current.length > 0) batches.push(current)
  return batches
}

function firstLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^error:\s*/, '').trim())
    .filter((line) => line !== '')
    .slice(0, 3)
    .join('; ')
}
