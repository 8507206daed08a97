// Scan progress: a live line on a terminal (entries/s, MB/s, ETA), plain lines every few seconds
// otherwise, nothing with --quiet.
import type { ScanProgress } from '../standalone/index.js'
import { formatBytes, formatCount } from '../report/index.js'
import type { OutputStream } from './cli-io.js'

const TTY_INTERVAL_MS = 200
const PLAIN_INTERVAL_MS = 5000

export class ProgressReporter {
  private readonly started = performance.now()
  private lastShown = 0
  private shownOnTerminal = false
  private last: ScanProgress | undefined

  constructor(
    private readonly stream: OutputStream,
    private readonly quiet: boolean,
  ) {}

  readonly update = (progress: ScanProgress): void => {
    if (this.quiet) return
    this.last = progress
    const now = performance.now()
    const interval = this.stream.isTTY === true ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS
    if (now - this.lastShown < interval) return
    this.lastShown = now
    const line = describe(progress, (now - this.started) / 1000)
    if (this.stream.isTTY === true) {
      const width = Math.max(20, (this.stream.columns || 100) - 1)
      this.stream.write(`\r${line.slice(0, width).padEnd(width)}`)
      this.shownOnTerminal = true
    } else {
      this.stream.write(`${line}\n`)
    }
  }

  /** Clears the live line on a terminal; elsewhere writes a last line with the totals. */
  finish(): void {
    if (this.shownOnTerminal) {
      this.stream.write(`\r${' '.repeat(Math.max(20, (this.stream.columns || 100) - 1))}\r`)
      this.shownOnTerminal = false
    } else if (!this.quiet && this.stream.isTTY !== true && this.last !== undefined) {
      const totals = { entries: this.last.entries, bytes: this.last.bytes }
      const line = describe(totals, (performance.now() - this.started) / 1000)
      this.stream.write(`${line.replace('scanning', 'scanned')}\n`)
    }
  }
}

function describe(progress: ScanProgress, seconds: number): string {
  const rate = seconds > 0 ? progress.entries / seconds : 0
  const throughput = seconds > 0 ? progress.bytes / seconds : 0
  let line =
    `scanning: ${formatCount(progress.entries)} entries (${formatCount(Math.round(rate))}/s), ` +
    `${formatBytes(progress.bytes)} hashed (${formatBytes(throughput)}/s)`
  if (
    progress.expectedEntries !== undefined &&
    rate > 0 &&
    progress.expectedEntries > progress.entries
  ) {
    line += `, ETA ${Math.ceil((progress.expectedEntries - progress.entries) / rate)} s`
  }
  return line
}
