// The status of a check alone, without writing what was found and expected: a forEach judges
// every element it visits (thousands under /etc) and writes out only those it reports.
import type { Element } from '../model/index.js'
import type { CheckStatus } from './check-outcome.js'
import { holds } from './comparators.js'
import type { ElementScope } from './evaluation-context.js'
import type { ElementCheck, WhenMissing } from './policy.js'
import { relatedKey } from './related-elements.js'

/** What a missing attribute, element or setting makes of a check. */
export function missingStatus(missing: WhenMissing | undefined): CheckStatus {
  return missing === 'pass' ? 'pass' : missing === 'not-applicable' ? 'not-applicable' : 'fail'
}

/** `all` fails on any failure, `any` passes on any pass, `none` inverts `any`. */
export function combinedStatus(
  kind: 'all' | 'any' | 'none',
  statuses: readonly CheckStatus[],
): CheckStatus {
  if (statuses.every((status) => status === 'not-applicable')) return 'not-applicable'
  const error = statuses.includes('error')
  if (kind === 'all') return statuses.includes('fail') ? 'fail' : error ? 'error' : 'pass'
  const passed = statuses.includes('pass')
  if (kind === 'any') return passed ? 'pass' : error ? 'error' : 'fail'
  return passed ? 'fail' : error ? 'error' : 'pass'
}

/**
 * The status `evaluateElementCheck` gives the element.
 *
 * @example elementCheckStatus({ attribute: 'mode', modeAtMost: '0644' }, element, context) // 'pass'
 */
export function elementCheckStatus(
  check: ElementCheck,
  element: Element,
  scope: ElementScope,
): CheckStatus {
  if ('all' in check)
    return combinedStatus(
      'all',
      check.all.map((sub) => elementCheckStatus(sub, element, scope)),
    )
  if ('any' in check)
    return combinedStatus(
      'any',
      check.any.map((sub) => elementCheckStatus(sub, element, scope)),
    )
  if ('none' in check) {
    return combinedStatus(
      'none',
      check.none.map((sub) => elementCheckStatus(sub, element, scope)),
    )
  }
  const judged = check.of === undefined ? element : scope.element(relatedKey(check.of, element.key))
  const value = judged?.attributes[check.attribute]
  if (value === undefined || value === null) return missingStatus(check.missing)
  return holds(value, check, scope.now) ? 'pass' : 'fail'
}
