// OpenSSH's patterns (match.c): `*` and `?` wildcards over the whole string, and comma-separated
// lists where `!` negates. Used by sshd's Match criteria.

/**
 * Whether the whole of `text` matches `pattern` (`*` any run, `?` one character).
 *
 * Greedy with one backtrack point, so hostile patterns (`*a*a*a*…b`) take time proportional to
 * text × pattern, not exponential time.
 *
 * @example matchesSshPattern('web-01.example.org', 'web-??.*') // true
 */
export function matchesSshPattern(text: string, pattern: string): boolean {
  let t = 0
  let p = 0
  let starAt = -1
  let resumeAt = 0
  while (t < text.length) {
    const wanted = pattern[p]
    if (wanted === '*') {
      starAt = p
      resumeAt = t
      p += 1
    } else if (wanted !== undefined && (wanted === '?' || wanted === text[t])) {
      t += 1
      p += 1
    } else if (starAt !== -1) {
      p = starAt + 1
      resumeAt += 1
      t = resumeAt
    } else {
      return false
    }
  }
  while (pattern[p] === '*') p += 1
  return p === pattern.length
}

/** 1: a pattern matched; -1: a negated pattern matched (which overrides); 0: none matched. */
export type PatternListMatch = 1 | 0 | -1

/**
 * Matches against a comma-separated pattern list as OpenSSH's `match_pattern_list` does. A list of
 * negations alone never matches: `!root` does not match `alice` (write `*,!root`).
 *
 * @example matchSshPatternList('alice', '*,!root') // 1
 * @example matchSshPatternList('root', '*,!root') // -1
 * @example matchSshPatternList('Web1', 'web*', true) // 1 (host names compare in lower case)
 */
export function matchSshPatternList(
  text: string,
  list: string,
  lowerCase = false,
): PatternListMatch {
  const subject = lowerCase ? text.toLowerCase() : text
  let matched: PatternListMatch = 0
  for (const entry of list.split(',')) {
    const negated = entry.startsWith('!')
    const pattern = negated ? entry.slice(1) : entry
    if (!matchesSshPattern(subject, lowerCase ? pattern.toLowerCase() : pattern)) continue
    if (negated) return -1
    matched = 1
  }
  return matched
}
