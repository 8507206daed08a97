// The assessment report: text for people (failures first, with actual vs expected and the fix),
// JSON for machines (docs/cli.md).
import type { SystemAssessment } from '../standalone/index.js'

const ORDER = { critical: 0, high: 1, medium: 2, low: 3 } as const

export function renderAssessmentJson(assessment: SystemAssessment): string {
  return `${JSON.stringify(
    {
      score: assessment.score,
      counts: assessment.counts,
      node: assessment.node,
      target: assessment.target,
      seconds: Number(assessment.seconds.toFixed(3)),
      policies: assessment.policies,
      results: assessment.results.map((result) => ({
        policy: result.policy,
        test: result.test,
        title: result.title,
        status: result.status,
        severity: result.severity,
        actual: result.actual,
        expected: result.expected,
        evidence: result.evidence,
        refs: result.refs,
        ...(result.note === undefined ? {} : { note: result.note }),
        ...(result.deadline === undefined
          ? {}
          : {
              firstFailed: result.firstFailed,
              deadline: result.deadline,
              overdue: result.overdue,
            }),
        ...(result.status === 'fail' ? { remediation: result.remediation } : {}),
      })),
      notChecked: assessment.notChecked,
    },
    null,
    2,
  )}\n`
}

export function renderAssessmentText(assessment: SystemAssessment): string {
  const { counts } = assessment
  const lines = [
    `driftwatch assess — ${assessment.target} (${assessment.node})`,
    `Policies: ${assessment.policies.map((policy) => `${policy.id} ${policy.version} (${policy.tests} tests)`).join(', ')}`,
    `Score ${assessment.score}%: ${counts.pass} passed, ${counts.fail} failed, ${counts.waived} waived, ` +
      `${counts['not-applicable']} not applicable, ${counts.error} errors — in ${assessment.seconds.toFixed(2)} s`,
  ]
  const failures = assessment.results
    .filter((result) => result.status === 'fail')
    .sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || (a.test < b.test ? -1 : 1))
  if (failures.length > 0) lines.push('', `Failed (${failures.length})`)
  for (const result of failures) {
    lines.push(`  ✗ [${result.severity}] ${result.policy}/${result.test}: ${result.title}`)
    lines.push(`      actual:   ${result.actual}`)
    lines.push(`      expected: ${result.expected}`)
    const where = result.evidence.find((evidence) => evidence.file !== undefined)
    if (where?.file !== undefined)
      lines.push(`      where:    ${where.file}${where.line === undefined ? '' : `:${where.line}`}`)
    if (result.deadline !== undefined) {
      lines.push(
        `      fix by:   ${result.deadline.slice(0, 10)}${result.overdue === true ? '  OVERDUE' : ''}`,
      )
    }
    if (result.note !== undefined) lines.push(`      note:     ${result.note}`)
    lines.push(
      `      fix:      ${result.remediation.trim().split('\n').join('\n                ')}`,
    )
  }
  const errors = assessment.results.filter((result) => result.status === 'error')
  if (errors.length > 0) {
    lines.push('', `Could not be evaluated (${errors.length})`)
    for (const result of errors) lines.push(`  ! ${result.policy}/${result.test}: ${result.actual}`)
  }
  const waived = assessment.results.filter((result) => result.status === 'waived')
  if (waived.length > 0) {
    lines.push('', `Waived (${waived.length})`)
    for (const result of waived)
      lines.push(`  ~ ${result.policy}/${result.test}: ${result.note ?? ''}`)
  }
  if (assessment.notChecked.length > 0) {
    lines.push('', `Not checked (${assessment.notChecked.length})`)
    for (const item of assessment.notChecked)
      lines.push(`  ! ${item.path}: ${item.reason} (${item.detail})`)
  }
  return `${lines.join('\n')}\n`
}
