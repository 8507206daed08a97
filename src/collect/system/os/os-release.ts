// Parses os-release(5): shell-style VAR=value lines, values optionally quoted, no expansion.
import { configLines } from '../config-text.js'
import type { CollectionProblem } from '../system-collector.js'

/**
 * The variables of an os-release file. Malformed lines are problems; the rest still count.
 *
 * @example parseOsRelease('ID=debian\nPRETTY_NAME="Debian GNU/Linux 12"\n', '/etc/os-release', [])
 * // Map { 'ID' => 'debian', 'PRETTY_NAME' => 'Debian GNU/Linux 12' }
 */
export function parseOsRelease(
  text: string,
  path: string,
  problems: CollectionProblem[],
): Map<string, string> {
  const variables = new Map<string, string>()
  for (const { number, text: line } of configLines(text, path, problems)) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(trimmed)
    const value = match === null ? undefined : unquote(match[2] as string)
    if (match === null || value === undefined) {
      problems.push({
        path: `${path}:${number}`,
        reason: 'malformed',
        detail: match === null ? 'not a VARIABLE=value line' : 'unbalanced quotes',
      })
      continue
    }
    variables.set(match[1] as string, value)
  }
  return variables
}

/**
 * A value as the shell would read it: "…" with \\ \" \$ \` escapes, '…' literally, or bare.
 * Undefined for quotes that do not close, or text after the closing quote.
 */
function unquote(raw: string): string | undefined {
  const quote = raw[0]
  if (quote !== '"' && quote !== "'") return raw
  let value = ''
  for (let i = 1; i < raw.length; i++) {
    const character = raw[i] as string
    if (character === quote) return i === raw.length - 1 ? value : undefined
    if (quote === '"' && character === '\\' && '\\"$`'.includes(raw[i + 1] ?? '')) {
      value += raw[i + 1] as string
      i += 1
      continue
    }
    value += character
  }
  return undefined
}
