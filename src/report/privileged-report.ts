// The privileged-access report: text for people, JSON for machines (docs/cli.md).
import type { PrivilegedAssessment } from '../standalone/index.js'

export function renderPrivilegedJson(assessment: PrivilegedAssessment): string {
  return `${JSON.stringify({ ...assessment.access, problems: assessment.problems }, null, 2)}\n`
}

export function renderPrivilegedText(assessment: PrivilegedAssessment): string {
  const { access, problems } = assessment
  const targetDescription = assessment.target
  const lines = [`driftwatch privileged — ${targetDescription}`, '']
  lines.push(`Who can act as root (${access.identities.length})`)
  for (const identity of access.identities) {
    const admin = identity.countsAsAdmin ? '  [administrator]' : ''
    lines.push(`  ${identity.name}  via ${identity.via.join(', ')}${admin}`)
    for (const evidence of identity.evidence) lines.push(`      ${evidence}`)
  }
  lines.push('')
  if (access.ghosts.length === 0) lines.push('Ghost accounts: none')
  else {
    lines.push(`Ghost accounts (${access.ghosts.length})`)
    for (const ghost of access.ghosts) {
      lines.push(`  ! ${ghost.account}: ${ghost.finding} (${ghost.detail})`)
    }
  }
  lines.push('')
  const { count, min, max, verdict } = access.admins
  const names = access.identities.filter((identity) => identity.countsAsAdmin)
  const listed = names.length === 0 ? '' : ` (${names.map((identity) => identity.name).join(', ')})`
  const judged =
    verdict === 'ok'
      ? `within ${min} to ${max}`
      : verdict === 'too-few'
        ? `too few: at least ${min} expected`
        : `too many: at most ${max} expected`
  lines.push(`Administrators: ${count}${listed} — ${judged}`)
  if (problems.length > 0) {
    lines.push('', `Problems (${problems.length})`)
    for (const problem of problems) {
      lines.push(`  ! ${problem.path}: ${problem.reason} (${problem.detail})`)
    }
  }
  return `${lines.join('\n')}\n`
}
