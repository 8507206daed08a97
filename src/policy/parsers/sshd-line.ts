// One sshd_config line split as sshd splits it (servconf.c, misc.c): a keyword ended by blanks
// or `=`, then arguments with quotes and backslash escapes removed, up to a `#` that starts one.

export type SshdLine =
  | { readonly keyword: string; readonly args: readonly string[] }
  /** A line sshd rejects, with its keyword when it has one: a broken Match still opens a block. */
  | { readonly keyword?: string; readonly error: string }

const BLANKS = ' \t\r\n\f\v'

/**
 * Splits a line into its keyword (as written) and arguments. Returns undefined for a blank or
 * comment line, and `{ keyword, error }` for a line sshd rejects.
 *
 * @example splitSshdLine('Banner "/etc/issue net"  # site banner')
 * // { keyword: 'Banner', args: ['/etc/issue net'] }
 * @example splitSshdLine('PermitRootLogin=no') // { keyword: 'PermitRootLogin', args: ['no'] }
 */
export function splitSshdLine(text: string): SshdLine | undefined {
  let start = 0
  while (start < text.length && BLANKS.includes(text.charAt(start))) start += 1
  if (start === text.length || text[start] === '#') return undefined
  let end = start
  while (end < text.length && !BLANKS.includes(text.charAt(end)) && text[end] !== '=') end += 1
  const keyword = text.slice(start, end)
  if (keyword === '') return { error: 'a line starts with "=" instead of a keyword' }
  // One '=' may stand between keyword and arguments, with blanks on either side.
  let rest = end
  let equalsSeen = false
  for (; rest < text.length; rest += 1) {
    const char = text.charAt(rest)
    if (char === '=' && !equalsSeen) equalsSeen = true
    else if (!BLANKS.includes(char)) break
  }
  const args = splitArguments(text.slice(rest))
  if (args === undefined) return { keyword, error: 'a quote is not closed' }
  if (args.length === 0) return { keyword, error: 'no argument after the keyword' }
  return { keyword, args }
}

/** OpenSSH's argv_split with comments ending the line; undefined for an unclosed quote. */
function splitArguments(text: string): string[] | undefined {
  const args: string[] = []
  let i = 0
  while (i < text.length) {
    const char = text.charAt(i)
    if (char === ' ' || char === '\t' || char === '\f' || char === '\v' || char === '\r') {
      i += 1
      continue
    }
    if (char === '#') break
    let arg = ''
    let quote = ''
    for (; i < text.length; i += 1) {
      const c = text.charAt(i)
      const next = text.charAt(i + 1)
      if (
        c === '\\' &&
        (next === "'" || next === '"' || next === '\\' || (quote === '' && next === ' '))
      ) {
        arg += next
        i += 1
      } else if (quote === '' && (c === ' ' || c === '\t')) {
        break
      } else if (quote === '' && (c === '"' || c === "'")) {
        quote = c
      } else if (quote !== '' && c === quote) {
        quote = ''
      } else {
        arg += c
      }
    }
    if (quote !== '') return undefined
    args.push(arg)
  }
  return args
}
