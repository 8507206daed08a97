// Tokens of a PAM configuration line as libpam's _pam_StrTok cuts them: blanks separate, and a
// token that starts with `[` runs to the first `]` not written `\]`, blanks and all.

export interface PamToken {
  /** As written, blanks inside brackets collapsed: `[success=1 default=ignore]`. */
  readonly raw: string
  /** What libpam passes on: brackets removed and `\]` unescaped. */
  readonly value: string
  /** A `[` whose `]` never came: libpam takes the rest of the line. */
  readonly unclosed?: true
}

/**
 * Splits one logical PAM line (comments and continuations already handled) into tokens.
 *
 * @example pamTokens('auth [success=1 default=ignore] pam_unix.so nullok')
 * // raw: ['auth', '[success=1 default=ignore]', 'pam_unix.so', 'nullok']
 * @example pamTokens('auth required pam_exec.so [cmd=/bin/x a\\]b]')[3]?.value // 'cmd=/bin/x a]b'
 */
export function pamTokens(text: string): PamToken[] {
  const tokens: PamToken[] = []
  let i = 0
  while (i < text.length) {
    const char = text.charAt(i)
    if (char === ' ' || char === '\t' || char === '\n') {
      i += 1
      continue
    }
    if (char === '[') {
      let value = ''
      let end = i + 1
      for (; end < text.length && text[end] !== ']'; end += 1) {
        if (text[end] === '\\' && text[end + 1] === ']') end += 1
        value += text.charAt(end)
      }
      const closed = end < text.length
      tokens.push({
        raw: `[${text
          .slice(i + 1, end)
          .trim()
          .replace(/\s+/g, ' ')}${closed ? ']' : ''}`,
        value,
        ...(closed ? {} : { unclosed: true as const }),
      })
      // libpam ends the token at the `]` and starts the next one right after it.
      i = end + 1
      continue
    }
    let end = i
    while (end < text.length && !' \t\n'.includes(text.charAt(end))) end += 1
    const token = text.slice(i, end)
    tokens.push({ raw: token, value: token })
    i = end
  }
  return tokens
}
