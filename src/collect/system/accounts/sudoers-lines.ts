// The logical lines of a sudoers file: comments removed and `\` continuations joined, as sudo's
// lexer sees them, each numbered by the physical line it starts on.
import type { ConfigLine } from '../config-text.js'

/**
 * Strips comments and joins continued lines. `#include` and `#includedir` at the start of a line
 * are directives, and `#` followed by a digit is a uid or gid (`#0`, `%#1000`), not a comment.
 *
 * @example sudoersLogicalLines([
 *   { number: 1, text: 'alice ALL = \\' },
 *   { number: 2, text: '  ALL # ok' },
 * ])
 * // [{ number: 1, text: 'alice ALL = ALL' }]
 */
export function sudoersLogicalLines(lines: readonly ConfigLine[]): ConfigLine[] {
  const logical: ConfigLine[] = []
  let pending: { number: number; text: string } | undefined
  for (const { number, text } of lines) {
    let code = stripComment(text).replace(/[ \t]+$/, '')
    const continued = /(^|[^\\])(\\\\)*\\$/.test(code)
    if (continued) code = code.slice(0, -1)
    if (pending === undefined) pending = { number, text: code }
    else pending.text += ` ${code}`
    if (continued) continue
    const joined = pending.text.replace(/[ \t]+/g, ' ').trim()
    if (joined !== '') logical.push({ number: pending.number, text: joined })
    pending = undefined
  }
  if (pending !== undefined) {
    const joined = pending.text.replace(/[ \t]+/g, ' ').trim()
    if (joined !== '') logical.push({ number: pending.number, text: joined })
  }
  return logical
}

function stripComment(line: string): string {
  if (/^[ \t]*#include(dir)?[ \t]/.test(line)) return line
  let quoted = false
  for (let index = 0; index < line.length; index++) {
    const char = line[index]
    if (char === '\\') {
      index += 1
      continue
    }
    if (char === '"') quoted = !quoted
    else if (char === '#' && !quoted && !/[0-9]/.test(line[index + 1] ?? '')) {
      return line.slice(0, index)
    }
  }
  return line
}
