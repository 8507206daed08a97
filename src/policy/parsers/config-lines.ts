// Splitting configuration text into lines that are safe to parse: hostile or damaged files (a
// 10 MB line, binary garbage) become problems, never exceptions or terminal escape sequences.
import type { ProblemLog } from './problem-log.js'

/** A longer line is reported and skipped: no legitimate configuration line is this long. */
export const MAX_LINE_CHARS = 64 * 1024

export interface ConfigLine {
  /** 1-based line number. */
  readonly number: number
  readonly text: string
}

// Control characters (C0 but blanks, DEL, C1) and U+FFFD, which is what bytes that are not UTF-8
// decode to. None belongs in a setting; all could repaint a terminal that shows one.
const BINARY = /[\p{Cc}\ufffd]/u
// Tab, vertical tab and form feed are blanks to the programs that read these files.
const BLANKS = /[\t\v\f]/g

/**
 * Splits text into lines, dropping comment lines first (a comment may be in any encoding), then
 * reporting and dropping lines longer than {@link MAX_LINE_CHARS} and lines with binary data.
 *
 * @example
 * configLines('a = 1\n# note\n\u0000\n', '/etc/x.conf', log, (line) => line.startsWith('#'))
 * // [{ number: 1, text: 'a = 1' }]  (and a problem for line 3)
 */
export function configLines(
  text: string,
  file: string,
  problems: ProblemLog,
  isComment: (trimmed: string) => boolean = () => false,
): ConfigLine[] {
  const lines: ConfigLine[] = []
  let number = 0
  // A byte order mark is an editor's artefact, not part of the first keyword.
  let start = text.startsWith('\ufeff') ? 1 : 0
  while (start <= text.length) {
    const end = text.indexOf('\n', start)
    const stop = end === -1 ? text.length : end
    number += 1
    const raw = text.slice(start, stop)
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line.length > MAX_LINE_CHARS) {
      problems.add(file, number, `line of ${line.length} characters skipped`)
    } else {
      const trimmed = line.trim()
      if (trimmed !== '' && !isComment(trimmed)) {
        if (BINARY.test(line.replace(BLANKS, ' '))) {
          problems.add(file, number, 'binary data skipped')
        } else {
          lines.push({ number, text: line })
        }
      }
    }
    if (end === -1) break
    start = end + 1
  }
  return lines
}
