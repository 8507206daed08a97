// Evaluates one check against a snapshot (docs/policy-language.md). Pure: everything comes from
// the EvaluationContext; a check that cannot be evaluated is an `error` outcome, never a throw.
import type { AttributeValue, Element } from '../model/index.js'
import { combinedStatus, elementCheckStatus, missingStatus } from './check-status.js'
import { cachedRegExp, compare, expectedText, hasComparator } from './comparators.js'
import { outcome, type CheckOutcome, type Evidence } from './check-outcome.js'
import type { ElementScope, EvaluationContext } from './evaluation-context.js'
import type { Check, Comparison, ElementCheck, WhenMissing } from './policy.js'
import { relatedKey } from './related-elements.js'

const NOLOGIN_SHELLS = new Set([
  '/usr/sbin/nologin',
  '/sbin/nologin',
  '/bin/false',
  '/usr/bin/false',
  '/bin/sync',
  '/sbin/shutdown',
  '/sbin/halt',
])
const MAX_LISTED = 10

function missingOutcome(
  missing: WhenMissing | undefined,
  what: string,
  expected: string,
  evidence: Evidence[] = [],
): CheckOutcome {
  return outcome(missingStatus(missing), `${what} is absent`, expected, evidence)
}

function show(value: AttributeValue): string {
  return value === null ? '(none)' : String(value)
}

function compareAttribute(
  element: Element | undefined,
  attribute: string,
  comparison: Comparison & { missing?: WhenMissing },
  label: string,
  now: number,
): CheckOutcome {
  const evidence = element === undefined ? [] : [{ element: element.key }]
  const value = element?.attributes[attribute]
  if (element === undefined || value === undefined || value === null) {
    return missingOutcome(
      comparison.missing,
      element === undefined ? label : `${label} ${attribute}`,
      expectedText(comparison),
      evidence,
    )
  }
  const verdict = compare(value, comparison, now)
  return outcome(verdict.holds ? 'pass' : 'fail', show(value), verdict.expected, evidence)
}

/** Combines outcomes as {@link combinedStatus} does, with what was found and expected. */
function combine(kind: 'all' | 'any' | 'none', outcomes: readonly CheckOutcome[]): CheckOutcome {
  const status = combinedStatus(
    kind,
    outcomes.map((o) => o.status),
  )
  // Where the status comes from some outcomes (the failed of `all`, the passed of `any` and
  // `none`), what was found is theirs; otherwise everyone's.
  const deciding =
    status === 'fail' && kind === 'all'
      ? outcomes.filter((o) => o.status === 'fail')
      : (status === 'pass' && kind === 'any') || (status === 'fail' && kind === 'none')
        ? outcomes.filter((o) => o.status === 'pass')
        : outcomes
  const expected = (kind === 'all' && status === 'fail' ? deciding : outcomes)
    .map((o) => o.expected)
    .join(kind === 'any' ? ' or ' : '; ')
  return outcome(
    status,
    deciding.map((o) => o.actual).join('; '),
    kind === 'none' && status !== 'not-applicable' ? `none of: ${expected}` : expected,
    deciding.flatMap((o) => o.evidence),
  )
}

/**
 * @example evaluateElementCheck({ of: '{key}/service/TSM-SSH', attribute: 'running', equals: false }, host, context)
 */
export function evaluateElementCheck(
  check: ElementCheck,
  element: Element,
  scope: ElementScope,
): CheckOutcome {
  if ('all' in check)
    return combine(
      'all',
      check.all.map((sub) => evaluateElementCheck(sub, element, scope)),
    )
  if ('any' in check)
    return combine(
      'any',
      check.any.map((sub) => evaluateElementCheck(sub, element, scope)),
    )
  if ('none' in check)
    return combine(
      'none',
      check.none.map((sub) => evaluateElementCheck(sub, element, scope)),
    )
  if (check.of === undefined)
    return compareAttribute(element, check.attribute, check, element.key, scope.now)
  const key = relatedKey(check.of, element.key)
  return compareAttribute(scope.element(key), check.attribute, check, key, scope.now)
}

function users(context: EvaluationContext): Element[] {
  return context.matching('user:*')
}

/** The first of `keys` (of `total` in all, when only the first were written out). */
function listed(keys: readonly string[], total = keys.length): string {
  return total <= MAX_LISTED
    ? keys.join(', ')
    : `${keys.slice(0, MAX_LISTED).join(', ')} and ${total - MAX_LISTED} more`
}

/**
 * @example evaluateCheck({ sysctl: { key: 'net.ipv4.ip_forward', equals: 0 } }, context)
 */
export function evaluateCheck(check: Check, context: EvaluationContext): CheckOutcome {
  if ('all' in check)
    return combine(
      'all',
      check.all.map((sub) => evaluateCheck(sub, context)),
    )
  if ('any' in check)
    return combine(
      'any',
      check.any.map((sub) => evaluateCheck(sub, context)),
    )
  if ('none' in check)
    return combine(
      'none',
      check.none.map((sub) => evaluateCheck(sub, context)),
    )
  if ('element' in check) {
    return compareAttribute(
      context.element(check.element.key),
      check.element.attribute,
      check.element,
      check.element.key,
      context.now,
    )
  }
  if ('sysctl' in check) {
    return compareAttribute(
      context.element(`sysctl:${check.sysctl.key}`),
      'value',
      check.sysctl,
      `sysctl ${check.sysctl.key}`,
      context.now,
    )
  }
  if ('service' in check) {
    return compareAttribute(
      context.element(`service:${check.service.name}`),
      'state',
      check.service,
      `service ${check.service.name}`,
      context.now,
    )
  }
  if ('file' in check) return fileCheck(check.file, context)
  if ('content' in check) return contentCheck(check.content, context)
  if ('setting' in check) return settingCheck(check.setting, context)
  if ('package' in check) return packageCheck(check.package, context)
  if ('port' in check) {
    const key = `port:${check.port.proto}/${check.port.port}`
    if (!context.node.live)
      return outcome('not-applicable', 'listening sockets are read on a running host only', '')
    const listening = context.element(key) !== undefined
    const expected = check.port.listening ? `${key} listening` : `nothing listening on ${key}`
    return outcome(
      listening === check.port.listening ? 'pass' : 'fail',
      listening ? 'listening' : 'not listening',
      expected,
      listening ? [{ element: key }] : [],
    )
  }
  if ('uid0Accounts' in check) {
    const zero = users(context)
      .filter((user) => Number(user.attributes['uid']) === 0)
      .map((user) => user.key.slice(5))
    const holds = zero.length <= check.uid0Accounts.atMost
    return outcome(
      holds ? 'pass' : 'fail',
      `${zero.length} (${listed(zero)})`,
      `≤ ${check.uid0Accounts.atMost}`,
      zero.map((name) => ({ element: `user:${name}` })),
    )
  }
  if ('noEmptyPasswords' in check) {
    const empty = users(context)
      .filter((user) => user.attributes['password'] === 'empty')
      .map((user) => user.key)
    return outcome(
      empty.length === 0 ? 'pass' : 'fail',
      empty.length === 0 ? 'none' : `empty password: ${listed(empty)}`,
      'no account with an empty password',
      empty.map((element) => ({ element })),
    )
  }
  if ('noSystemLoginShells' in check) {
    const found = users(context).filter((user) => {
      const uid = Number(user.attributes['uid'])
      // An empty shell field means /bin/sh to login(1); uids above 59999 are system ones too (nobody).
      const shell = String(user.attributes['shell'] ?? '') || '/bin/sh'
      const system = (uid > 0 && uid < 1000) || uid > 59999
      return system && !NOLOGIN_SHELLS.has(shell)
    })
    return outcome(
      found.length === 0 ? 'pass' : 'fail',
      found.length === 0
        ? 'none'
        : listed(found.map((user) => `${user.key.slice(5)} (${String(user.attributes['shell'])})`)),
      'no system account with a login shell',
      found.map((user) => ({ element: user.key })),
    )
  }
  if ('groupMembers' in check) return groupMembersCheck(check.groupMembers, context)
  return forEachCheck(check.forEach, context)
}

function fileCheck(
  check: Extract<Check, { file: unknown }>['file'],
  context: EvaluationContext,
): CheckOutcome {
  const key = `file:${check.path}`
  const element = context.element(key)
  if (check.exists === false) {
    return outcome(
      element === undefined ? 'pass' : 'fail',
      element === undefined ? 'absent' : 'present',
      `${check.path} absent`,
      element ? [{ element: key }] : [],
    )
  }
  if (element === undefined)
    return missingOutcome(check.missing, check.path, `${check.path} present`)
  const attributes = element.attributes
  const problems: string[] = []
  const expected: string[] = []
  if (check.type !== undefined) {
    expected.push(`type ${check.type}`)
    if (attributes['type'] !== check.type) problems.push(`type ${show(attributes['type'] ?? null)}`)
  }
  if (check.modeAtMost !== undefined) {
    const verdict = compare(
      attributes['mode'] ?? null,
      { modeAtMost: check.modeAtMost },
      context.now,
    )
    expected.push(verdict.expected)
    if (!verdict.holds) problems.push(`mode ${show(attributes['mode'] ?? null)}`)
  }
  if (check.owner !== undefined) {
    expected.push(`owner ${check.owner}`)
    const owner = attributes['user'] ?? attributes['uid']
    if (!(owner === check.owner || (check.owner === 'root' && attributes['uid'] === 0)))
      problems.push(`owner ${show(owner ?? null)}`)
  }
  if (check.group !== undefined) {
    expected.push(`group ${check.group}`)
    const group = attributes['group'] ?? attributes['gid']
    if (!(group === check.group || (check.group === 'root' && attributes['gid'] === 0)))
      problems.push(`group ${show(group ?? null)}`)
  }
  const summary = [
    `mode ${show(attributes['mode'] ?? null)}`,
    `owner ${show(attributes['user'] ?? attributes['uid'] ?? null)}`,
    `group ${show(attributes['group'] ?? attributes['gid'] ?? null)}`,
  ].join(', ')
  return outcome(
    problems.length === 0 ? 'pass' : 'fail',
    problems.length === 0 ? summary : problems.join(', '),
    expected.join(', ') || 'present',
    [{ element: key }],
  )
}

function contentCheck(
  check: Extract<Check, { content: unknown }>['content'],
  context: EvaluationContext,
): CheckOutcome {
  const key = `file:${check.path}`
  const element = context.element(key)
  const expected = [
    check.matches && `a line matching /${check.matches}/`,
    check.notMatches && `no line matching /${check.notMatches}/`,
  ]
    .filter(Boolean)
    .join(' and ')
  if (element === undefined) return missingOutcome(check.missing, check.path, expected)
  if (element.content === undefined) {
    return outcome(
      'error',
      `the content of ${check.path} was not collected (list it in the policy's reads)`,
      expected,
      [{ element: key }],
    )
  }
  const lines = element.content.split('\n')
  if (check.matches !== undefined) {
    const pattern = cachedRegExp(check.matches)
    const index = lines.findIndex((line) => pattern.test(line))
    if (index === -1)
      return outcome('fail', `no line matches`, expected, [{ element: key, file: check.path }])
  }
  if (check.notMatches !== undefined) {
    const pattern = cachedRegExp(check.notMatches)
    const found = lines.flatMap((line, index) => (pattern.test(line) ? [index + 1] : []))
    if (found.length > 0) {
      const first = lines[(found[0] as number) - 1] ?? ''
      return outcome(
        'fail',
        `line ${found[0]}: ${first.slice(0, 200)}${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}`,
        expected,
        found.slice(0, MAX_LISTED).map((line) => ({ element: key, file: check.path, line })),
      )
    }
  }
  return outcome('pass', check.matches ? 'a line matches' : 'no line matches', expected, [
    { element: key, file: check.path },
  ])
}

function settingCheck(
  check: Extract<Check, { setting: unknown }>['setting'],
  context: EvaluationContext,
): CheckOutcome {
  const expected = hasComparator(check) ? expectedText(check) : 'set'
  if (context.element(`file:${check.file}`) === undefined) {
    if (check.default !== undefined)
      return settingValue(
        String(check.default),
        `${check.key} unset (default ${String(check.default)}; ${check.file} absent)`,
        check,
        [],
        context.now,
      )
    return missingOutcome(check.missing, check.file, expected)
  }
  const parsed = context.config(check.parser, check.file)
  if (parsed === undefined) {
    return outcome(
      'error',
      `the content of ${check.file} was not collected (list it in the policy's reads)`,
      expected,
      [{ element: `file:${check.file}` }],
    )
  }
  const setting = parsed.effective(check.key)
  if (setting === undefined) {
    if (check.default !== undefined)
      return settingValue(
        String(check.default),
        `${check.key} unset (default ${String(check.default)})`,
        check,
        [{ file: check.file }],
        context.now,
      )
    return missingOutcome(check.missing, `${check.key} in ${check.file}`, expected, [
      { file: check.file },
    ])
  }
  return settingValue(
    setting.value,
    `${setting.value} (${setting.file}:${setting.line})`,
    check,
    [{ element: `file:${setting.file}`, file: setting.file, line: setting.line }],
    context.now,
  )
}

function settingValue(
  value: string,
  actual: string,
  comparison: Comparison,
  evidence: Evidence[],
  now: number,
): CheckOutcome {
  if (!hasComparator(comparison)) return outcome('pass', actual, 'set', evidence)
  const verdict = compare(value, comparison, now)
  return outcome(verdict.holds ? 'pass' : 'fail', actual, verdict.expected, evidence)
}

function packageCheck(
  check: Extract<Check, { package: unknown }>['package'],
  context: EvaluationContext,
): CheckOutcome {
  const element =
    context.element(`package:${check.name}`) ?? context.matching(`package:${check.name}:*`)[0]
  const status = String(element?.attributes['status'] ?? '')
  const installed = element !== undefined && /(^|\s)installed$/.test(status)
  const version = String(element?.attributes['version'] ?? '')
  const evidence = element === undefined ? [] : [{ element: element.key }]
  const actual = installed
    ? `installed ${version}`
    : element === undefined
      ? 'not installed'
      : `not installed (${status})`
  if (check.installed === false)
    return outcome(installed ? 'fail' : 'pass', actual, `${check.name} not installed`, evidence)
  if (!installed)
    return outcome(
      check.installed === true || check.versionAtLeast !== undefined ? 'fail' : 'pass',
      actual,
      `${check.name} installed`,
      evidence,
    )
  if (check.versionAtLeast !== undefined) {
    const verdict = compare(version, { versionAtLeast: check.versionAtLeast }, context.now)
    return outcome(
      verdict.holds ? 'pass' : 'fail',
      actual,
      `${check.name} ${verdict.expected}`,
      evidence,
    )
  }
  return outcome('pass', actual, `${check.name} installed`, evidence)
}

function groupMembersCheck(
  check: Extract<Check, { groupMembers: unknown }>['groupMembers'],
  context: EvaluationContext,
): CheckOutcome {
  const group = context.element(`group:${check.group}`)
  if (group === undefined)
    return outcome('not-applicable', `group ${check.group} does not exist`, '')
  const members = new Set(
    String(group.attributes['members'] ?? '')
      .split(',')
      .filter(Boolean),
  )
  for (const user of users(context)) {
    if (user.attributes['gid'] === group.attributes['gid']) members.add(user.key.slice(5))
  }
  const names = [...members].sort()
  const tooFew = check.atLeast !== undefined && names.length < check.atLeast
  const tooMany = check.atMost !== undefined && names.length > check.atMost
  const expected = [
    check.atLeast !== undefined && `≥ ${check.atLeast}`,
    check.atMost !== undefined && `≤ ${check.atMost}`,
  ]
    .filter(Boolean)
    .join(' and ')
  return outcome(
    tooFew || tooMany ? 'fail' : 'pass',
    `${names.length} (${listed(names) || 'none'})`,
    `${expected} members`,
    [{ element: group.key }],
  )
}

function forEachCheck(
  check: Extract<Check, { forEach: unknown }>['forEach'],
  context: EvaluationContext,
): CheckOutcome {
  const candidates = context.matching(check.elements)
  const where = check.where
  // Statuses first, for every element; what was found is written only for those reported.
  const selected =
    where === undefined
      ? candidates
      : candidates.filter((element) => elementCheckStatus(where, element, context) === 'pass')
  if (selected.length === 0)
    return outcome(
      missingStatus(check.none ?? 'pass'),
      where === undefined || candidates.length === 0
        ? `no element matching ${check.elements}`
        : `none of the ${candidates.length} elements matching ${check.elements} is selected by where`,
      'every matching element passes',
    )
  const statuses = selected.map((element) => elementCheckStatus(check.check, element, context))
  const failed = selected.filter((_, index) => statuses[index] === 'fail')
  const expected = evaluateElementCheck(check.check, selected[0] as Element, context).expected
  if (failed.length > 0) {
    const shown = failed.slice(0, MAX_LISTED)
    const found = shown.map(
      (element) => `${element.key} (${evaluateElementCheck(check.check, element, context).actual})`,
    )
    return outcome(
      'fail',
      `${failed.length} of ${selected.length} fail: ${listed(found, failed.length)}`,
      expected,
      shown.map((element) => ({ element: element.key })),
    )
  }
  const error = statuses.includes('error')
  return outcome(error ? 'error' : 'pass', `all ${selected.length} pass`, expected)
}
