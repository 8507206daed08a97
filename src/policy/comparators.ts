// The comparators of the policy language (docs/policy-language.md): one value against a
// Comparison, with the expected value written for people.
import { DAY_MS, type AttributeValue } from '../model/index.js'
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
  'withinDays',
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
 * `now` (epoch milliseconds) is the time of the assessment, which `withinDays` measures from.
 *
 * @example compare('yes', { in: ['no', 'prohibit-password'] }) // { holds: false, expected: 'in [no, prohibit-password]' }
 */
export function compare(actual: AttributeValue, comparison: Comparison, now: number): Verdict {
  return { holds: holds(actual, comparison, now), expected: expectedText(comparison) }
}

/**
 * Whether a value passes every comparator of a comparison: {@link compare} without the text.
 *
 * @example holds('0640', { modeAtMost: '0644' }) // true
 */
export function holds(actual: AttributeValue, comparison: Comparison, now: number): boolean {
  return (
    (comparison.equals === undefined || sameValue(actual, comparison.equals)) &&
    (comparison.notEquals === undefined || !sameValue(actual, comparison.notEquals)) &&
    (comparison.in === undefined || comparison.in.some((value) => sameValue(actual, value))) &&
    (comparison.notIn === undefined ||
      !comparison.notIn.some((value) => sameValue(actual, value))) &&
    (comparison.matches === undefined ||
      cachedRegExp(comparison.matches).test(String(actual ?? ''))) &&
    (comparison.notMatches === undefined ||
      !cachedRegExp(comparison.notMatches).test(String(actual ?? ''))) &&
    (comparison.atLeast === undefined || asNumber(actual) >= comparison.atLeast) &&
    (comparison.atMost === undefined || asNumber(actual) <= comparison.atMost) &&
    (comparison.modeAtMost === undefined || modeWithin(actual, comparison.modeAtMost)) &&
    (comparison.versionAtLeast === undefined ||
      (typeof actual === 'string' &&
        compareDebianVersions(actual, comparison.versionAtLeast) >= 0)) &&
    (comparison.withinDays === undefined || within(actual, comparison.withinDays, now))
  )
}

/** An ISO 8601 time no more than `days` before `now`; a time that is not one does not hold. */
function within(actual: AttributeValue, days: number, now: number): boolean {
  // Evaluation is pure: the time comes with the assessment, never from the clock here.
  const time =
    typeof actual === 'string' && /^\d{4}-\d\d-\d\d/.test(actual) ? Date.parse(actual) : NaN
  return !Number.isNaN(time) && now - time <= days * DAY_MS
}

function modeWithin(actual: AttributeValue, modeAtMost: string): boolean {
  const allowed = parseInt(modeAtMost, 8)
  const mode =
    typeof actual === 'string' && /^[0-7]{3,4}$/.test(actual) ? parseInt(actual, 8) : Number.NaN
  return !Number.isNaN(mode) && (mode & ~allowed) === 0
}

const expectedTexts = new WeakMap<Comparison, string>()

/**
 * What a comparison expects, written for people. It depends on the comparison alone, and a
 * forEach asks for it once per element (thousands under /etc): written once per comparison.
 *
 * @example expectedText({ atMost: 365 }) // '≤ 365'
 */
export function expectedText(comparison: Comparison): string {
  let text = expectedTexts.get(comparison)
  if (text === undefined) {
    text = [
      comparison.equals !== undefined && String(comparison.equals),
      comparison.notEquals !== undefined && `not ${String(comparison.notEquals)}`,
      comparison.in !== undefined && `one of ${list(comparison.in)}`,
      comparison.notIn !== undefined && `none of ${list(comparison.notIn)}`,
      comparison.matches !== undefined && `matching /${comparison.matches}/`,
      comparison.notMatches !== undefined && `not matching /${comparison.notMatches}/`,
      comparison.atLeast !== undefined && `≥ ${comparison.atLeast}`,
      comparison.atMost !== undefined && `≤ ${comparison.atMost}`,
      comparison.modeAtMost !== undefined &&
        `mode at most ${comparison.modeAtMost.padStart(4, '0')}`,
      comparison.versionAtLeast !== undefined && `version ≥ ${comparison.versionAtLeast}`,
      comparison.withinDays !== undefined &&
        `at most ${comparison.withinDays} day${comparison.withinDays === 1 ? '' : 's'} old`,
    ]
      .filter((part) => part !== false)
      .join(' and ')
    expectedTexts.set(comparison, text)
  }
  return text
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
