// Regular expressions in policies run over every line of many files on many nodes: one that
// backtracks catastrophically (`(a+)+$`) would hang an assessment. They are refused when a
// policy is loaded, with the place they were written.
import safeRegex from 'safe-regex2'

/** Why a pattern is refused, or undefined when it is fine. */
export function patternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern)
  } catch (error) {
    return `not a regular expression: ${(error as Error).message}`
  }
  if (!safeRegex(pattern)) {
    return 'this regular expression could backtrack catastrophically (nested or overlapping repetition); rewrite it'
  }
  return undefined
}
