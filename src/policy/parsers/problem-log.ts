// Problems found while parsing one configuration, capped: a binary file of a million short lines
// must not turn into a million problems in a report.
import type { ConfigProblem } from './config-parser.js'

/** More problems than this from one parse are counted, not listed. */
export const MAX_PROBLEMS = 200

/**
 * Collects problems in the order they are found, listing at most {@link MAX_PROBLEMS} and then one
 * that says how many more there were.
 *
 * @example
 * const log = new ProblemLog('/etc/fstab')
 * log.add('/etc/fstab', 3, 'a line needs at least 3 fields')
 * log.list() // [{ path: '/etc/fstab:3', detail: 'a line needs at least 3 fields' }]
 */
export class ProblemLog {
  readonly #problems: ConfigProblem[] = []
  #unlisted = 0

  /** @param file the file parsed, which the count of unlisted problems names */
  constructor(readonly file: string) {}

  add(file: string, line: number | undefined, detail: string): void {
    if (this.#problems.length >= MAX_PROBLEMS) {
      this.#unlisted += 1
      return
    }
    this.#problems.push({ path: line === undefined ? file : `${file}:${line}`, detail })
  }

  list(): readonly ConfigProblem[] {
    if (this.#unlisted === 0) return [...this.#problems]
    const more = { path: this.file, detail: `${this.#unlisted} more problems not listed` }
    return [...this.#problems, more]
  }
}
