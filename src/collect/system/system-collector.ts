// The interface every system collector implements (accounts, packages, services, network,
// kernel, scheduled tasks, OS): a parser over what a Target shows, plus live readings where the
// Target is the running host. Work on many items returns a result per item: a malformed file or
// line is a problem for that element, never a failure of the whole collection.
import type { Element } from '../../model/index.js'
import type { Target } from '../../target/index.js'
import type { ElementSelection } from './element-selection.js'

export const SYSTEM_COLLECTORS = [
  'accounts',
  'packages',
  'services',
  'network',
  'kernel',
  'scheduled',
  'os',
] as const
export type SystemCollectorName = (typeof SYSTEM_COLLECTORS)[number]

export type ProblemReason =
  'unreadable' | 'malformed' | 'too-large' | 'include-loop' | 'unavailable' | 'collector-failed'

/**
 * Something a collector could not read or understand. `path` names the file (and line) or the
 * element concerned. The detail never quotes file content: it may be a secret (a sudoers.d
 * entry that is a link to /etc/shadow must not put password hashes into a report).
 */
export interface CollectionProblem {
  readonly path: string
  readonly reason: ProblemReason
  readonly detail: string
}

export interface CommandResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs a program on the live host. Returns undefined when the program does not exist. */
export interface CommandRunner {
  run(command: string, args: readonly string[]): CommandResult | undefined
}

export interface CollectorContext {
  readonly target: Target
  /** Used only when `target.live`: an image or chroot is never inspected by running programs. */
  readonly commands: CommandRunner
  /**
   * The elements someone will read (an assessment's checks); every element when undefined. A
   * collector may skip the sources of elements outside it; what it returns is filtered by it.
   */
  readonly selection?: ElementSelection | undefined
}

export interface CollectorOutput {
  readonly elements: Element[]
  readonly problems: CollectionProblem[]
  /**
   * Key prefixes whose elements could not be collected this time (their source file was
   * unreadable): an element missing under them is not reported as removed.
   */
  readonly unknown?: readonly string[]
}

export interface SystemCollector {
  readonly name: SystemCollectorName
  collect(context: CollectorContext): CollectorOutput
}
