// Reading configuration files through a Target for the system collectors: size limits, long
// lines and unreadable files become problems, never exceptions.
import type { Target } from '../../target/index.js'
import type { CollectionProblem } from './system-collector.js'

/** Larger configuration files are not read: no account or package database is this big. */
export const MAX_CONFIG_BYTES = 64 * 1024 * 1024
/** A longer line is reported and skipped: no legitimate configuration line is this long. */
export const MAX_LINE_CHARS = 64 * 1024

export interface ConfigLine {
  /** 1-based line number. */
  readonly number: number
  readonly text: string
}

/**
 * Reads a text file as the system inside the Target sees it. Returns undefined when the file
 * does not exist, or could not be read (then a problem is recorded).
 *
 * @example readConfigText(target, '/etc/passwd', problems)
 */
export function readConfigText(
  target: Target,
  path: string,
  problems: CollectionProblem[],
  maxBytes = MAX_CONFIG_BYTES,
): string | undefined {
  let bytes: Buffer | undefined
  try {
    bytes = target.readFile(path, maxBytes)
  } catch (error) {
    const message = (error as Error).message
    const reason = /more than the \d+ allowed/.test(message) ? 'too-large' : 'unreadable'
    problems.push({ path, reason, detail: describeError(error) })
    return undefined
  }
  return bytes?.toString('utf8')
}

/**
 * Splits text into lines, reporting (and dropping) lines longer than {@link MAX_LINE_CHARS} and
 * lines with NUL bytes (binary garbage).
 */
export function configLines(
  text: string,
  path: string,
  problems: CollectionProblem[],
): ConfigLine[] {
  const lines: ConfigLine[] = []
  let number = 0
  for (const raw of text.split('\n')) {
    number += 1
    const line = configLine(raw, path, number, problems)
    if (line !== undefined) lines.push({ number, text: line })
  }
  return lines
}

/**
 * One line as {@link configLines} keeps it (without its `\r`), or undefined when it drops it
 * (and reports why): for parsers that walk a large file line by line themselves.
 */
export function configLine(
  raw: string,
  path: string,
  number: number,
  problems: CollectionProblem[],
): string | undefined {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
  if (line.length > MAX_LINE_CHARS) {
    problems.push({
      path: `${path}:${number}`,
      reason: 'malformed',
      detail: `line of ${line.length} characters skipped`,
    })
    return undefined
  }
  if (line.includes('\u0000') || line.includes('\ufffd')) {
    problems.push({
      path: `${path}:${number}`,
      reason: 'malformed',
      detail: 'binary data skipped',
    })
    return undefined
  }
  return line
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code !== undefined) return code
  const message = (error as Error).message
  // Messages from Target.readFile name the path and a size: no content.
  return message
}
