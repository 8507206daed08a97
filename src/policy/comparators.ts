// The comparators of the policy language (docs/policy-language.md): one value against a
// Comparison, with the expected value written for people.
import type { AttributeValue } from '../model/index.js'
import { compareDebianVersions } from './debian-version.js'
import type { Comparison, Scalar } from './policy.js'

export interface Verdict {
  readonly holds: boolean
  /** What was expected, for the report: `in [no, prohibit-password]`, `≤ 365`. */
  readonly expected: string
}

const COMPARATORS = [
  'equals',
  'notEquals',
  'in',
  'notIn',
  'matches',
  'notMatches',
  'atLeast',
  'atMost',
  'modeAtMost',
  'versionAtLeast',
] as const

/** Whether a comparison names any comparator at all. */
export function hasComparator(comparison: Comparison): boolean {
  return COMPARATORS.some((name) => comparison[name] !== undefined)
}

function asNumber(value: AttributeValue | Scalar): number {
  if (typeof value === 'number') return value
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value === null) return Number.NaN
  const text = value.trim()
  return /^[+-]?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN
}

/** Equal as numbers when both are numbers, otherwise as text ignoring ASCII case. */
export function sameValue(actual: AttributeValue, expected: Scalar): boolean {
  const a = asNumber(actual)
  const b = asNumber(expected)
  if (!Number.isNaN(a) && !Number.isNaN(b)) return a === b
  return String(actual).toLowerCase() === String(expected).toLowerCase()
}

function list(values: readonly Scalar[]): string {
  return `[${values.map(String).join(', ')}]`
}

/**
 * @example compare('yes', { in: ['no', 'prohibit-password'] }) // { holds: false, expected: 'in [no, prohibit-password]' }
 */
export function compare(actual: AttributeValue, comparison: Comparison): Verdict {
  const expected: string[] = []
  let holds = true
  const require = (ok: boolean, text: string): void => {
    expected.push(text)
    if (!ok) holds = false
  }
  if (comparison.equals !== undefined)
    require(sameValue(actual, comparison.equals), String(comparison.equals))
  if (comparison.notEquals !== undefined) {
    require(!sameValue(actual, comparison.notEquals), `not ${String(comparison.notEquals)}`)
  }
  if (comparison.in !== undefined) {
    require(comparison.in.some((value) =>
      sameValue(actual, value),
    ), `one of ${list(comparison.in)}`)
  }
  if (comparison.notIn !== undefined) {
    require(!comparison.notIn.some((value) =>
      sameValue(actual, value),
    ), `none of ${list(comparison.notIn)}`)
  }
  if (comparison.matches !== undefined) {
    require(cachedRegExp(comparison.matches).test(
      String(actual ?? ''),
    ), `matching /${comparison.matches}/`)
  }
  if (comparison.notMatches !== undefined) {
    require(!cachedRegExp(comparison.notMatches).test(
      String(actual ?? ''),
    ), `not matching /${comparison.notMatches}/`)
  }
  if (comparison.atLeast !== undefined)
    require(asNumber(actual) >= comparison.atLeast, `≥ ${comparison.atLeast}`)
  if (comparison.atMost !== undefined)
    require(asNumber(actual) <= comparison.atMost, `≤ ${comparison.atMost}`)
  if (comparison.modeAtMost !== undefined) {
    const allowed = parseInt(comparison.modeAtMost, 8)
    const mode =
      typeof actual === 'string' && /^[0-7]{3,4}$/.test(actual) ? parseInt(actual, 8) : Number.NaN
    require(!Number.isNaN(mode) &&
      (mode & ~allowed) === 0, `mode at most ${comparison.modeAtMost.padStart(4, '0')}`)
  }
  if (comparison.versionAtLeast !== undefined) {
    require(typeof actual === 'string' &&
      compareDebianVersions(actual, comparison.versionAtLeast) >=
        0, `version ≥ ${comparison.versionAtLeast}`)
  }
  return { holds, expected: expected.join(' and ') }
}

const regExps = new Map<string, RegExp>()

/** Policies repeat their patterns over every snapshot: compile each once. */
export function cachedRegExp(pattern: string): RegExp {
  let regExp = regExps.get(pattern)
  if (regExp === undefined) {
    regExp = new RegExp(pattern)
    regExps.set(pattern, regExp)
  }
  return regExp
}
