// Assessing a node: every test of every policy evaluated over one snapshot, with applicability,
// waivers and remediation deadlines. Pure: the snapshot, the time and the first-failure dates
// come in; results go out.
import { DAY_MS, type Element } from '../model/index.js'
import type { Evidence } from './check-outcome.js'
import { evaluateCheck } from './evaluate-check.js'
import { EvaluationContext, type NodeFacts } from './evaluation-context.js'
import type { Applicability, Policy, PolicyTest, Severity } from './policy.js'
import { findWaiver } from './waiver-match.js'
import type { Waiver } from './waivers.js'

export type ResultStatus = 'pass' | 'fail' | 'not-applicable' | 'error' | 'waived'

export interface TestResult {
  readonly policy: string
  readonly test: string
  readonly title: string
  readonly severity: Severity
  readonly status: ResultStatus
  readonly actual: string
  readonly expected: string
  readonly evidence: readonly Evidence[]
  readonly refs: Readonly<Record<string, readonly string[]>>
  readonly remediation: string
  /** Why not applicable, which waiver applies, or that a waiver expired. */
  readonly note?: string
  /** For failures: when it was first seen failing, and when it must be fixed by. */
  readonly firstFailed?: string
  readonly deadline?: string
  readonly overdue?: boolean
}

export interface Assessment {
  /** 100 × passed / (passed + failed + errors); waived and not-applicable tests do not count. */
  readonly score: number
  readonly counts: Readonly<Record<ResultStatus, number>>
  readonly results: readonly TestResult[]
}

/** Days to fix a failure, by severity. */
export type Deadlines = Readonly<Record<Severity, number>>

export interface AssessmentInput {
  readonly policies: readonly Policy[]
  readonly elements: ReadonlyMap<string, Element>
  readonly node: NodeFacts & { readonly name: string }
  readonly waivers?: readonly Waiver[]
  readonly deadlines: Deadlines
  readonly now: Date
  /** When each `policy/test` was first seen failing on this node (from earlier assessments). */
  readonly firstFailed?: ReadonlyMap<string, string>
}

/**
 * @example assess({ policies, elements, node, deadlines: { critical: 7, high: 30, medium: 90, low: 180 }, now: new Date() })
 */
export function assess(input: AssessmentInput): Assessment {
  const context = new EvaluationContext(input.elements, input.node, input.now)
  const today = input.now.toISOString().slice(0, 10)
  const results: TestResult[] = []
  for (const policy of input.policies) {
    for (const test of policy.tests) {
      results.push(assessTest(policy, test, context, input, today))
    }
  }
  const counts: Record<ResultStatus, number> = {
    pass: 0,
    fail: 0,
    'not-applicable': 0,
    error: 0,
    waived: 0,
  }
  for (const result of results) counts[result.status] += 1
  const judged = counts.pass + counts.fail + counts.error
  return {
    score: judged === 0 ? 100 : Math.round((1000 * counts.pass) / judged) / 10,
    counts,
    results,
  }
}

function assessTest(
  policy: Policy,
  test: PolicyTest,
  context: EvaluationContext,
  input: AssessmentInput,
  today: string,
): TestResult {
  const base = {
    policy: policy.id,
    test: test.id,
    title: test.title,
    severity: test.severity,
    refs: test.refs,
    remediation: test.remediation,
  }
  const notApplicable =
    whyNotApplicable(policy.applies, context) ?? whyNotApplicable(test.applies, context)
  if (notApplicable !== undefined) {
    return {
      ...base,
      status: 'not-applicable',
      actual: '',
      expected: '',
      evidence: [],
      note: notApplicable,
    }
  }
  let checked
  try {
    checked = evaluateCheck(test.check, context)
  } catch (error) {
    return {
      ...base,
      status: 'error',
      actual: (error as Error).message,
      expected: '',
      evidence: [],
    }
  }
  const result: TestResult = {
    ...base,
    status: checked.status,
    actual: checked.actual,
    expected: checked.expected,
    evidence: checked.evidence,
  }
  if (checked.status !== 'fail') return result
  const waiver = findWaiver(input.waivers ?? [], policy.id, test.id, input.node, today)
  if (waiver !== undefined && !waiver.expired) {
    const { approver, expires, justification } = waiver.waiver
    return {
      ...result,
      status: 'waived',
      note: `waived by ${approver} until ${expires}: ${justification}`,
    }
  }
  const firstFailed = input.firstFailed?.get(`${policy.id}/${test.id}`) ?? input.now.toISOString()
  const deadline = new Date(
    Date.parse(firstFailed) + input.deadlines[test.severity] * DAY_MS,
  ).toISOString()
  return {
    ...result,
    firstFailed,
    deadline,
    overdue: deadline < input.now.toISOString(),
    ...(waiver === undefined
      ? {}
      : { note: `the waiver by ${waiver.waiver.approver} expired on ${waiver.waiver.expires}` }),
  }
}

function whyNotApplicable(
  applies: Applicability | undefined,
  context: EvaluationContext,
): string | undefined {
  if (applies === undefined) return undefined
  if (applies.os !== undefined) {
    const ids = context.osIds()
    if (!applies.os.some((os) => ids.includes(os.toLowerCase()))) {
      return `for ${applies.os.join(', ')} systems; this is ${ids[0] ?? 'an unknown system'}`
    }
  }
  if (applies.kinds !== undefined && !applies.kinds.includes(context.node.kind)) {
    return `for ${applies.kinds.join(', ')} nodes; this is a ${context.node.kind}`
  }
  if (applies.tags !== undefined) {
    const missing = applies.tags.filter((tag) => !context.node.tags.includes(tag))
    if (missing.length > 0) return `for nodes tagged ${missing.join(', ')}`
  }
  if (applies.when !== undefined) {
    const condition = evaluateCheck(applies.when, context)
    if (condition.status !== 'pass') return `only when ${condition.expected} (${condition.actual})`
  }
  return undefined
}
