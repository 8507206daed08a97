// The check report for people: a summary by added / removed / modified and by attribute, then
// each change with before → after and content diffs, then what was not checked.
import type { CheckReport, ReportedChange } from '../standalone/index.js'
import { formatBytes, formatCount, formatValue, plural } from './format.js'

const SIGN = { added: '+', removed: '-', modified: '~' } as const

export function renderCheckText(report: CheckReport): string {
  const lines: string[] = []
  const { summary } = report
  lines.push(`driftwatch check #${report.checkId} — ${report.target}`)
  lines.push(
    `Baseline v${report.baseline.version} of ${report.baseline.target}, taken ${report.baseline.createdAt}` +
      (report.baseline.version > 1 ? `, updated ${report.baseline.updatedAt}` : '') +
      ` (signature verified, key ${report.baseline.keyFingerprint})`,
  )
  lines.push(
    `Scanned ${plural(report.scanned.entries, 'entry', 'entries')}, ` +
      `${formatBytes(report.scanned.bytes)} hashed, in ${report.seconds.toFixed(1)} s`,
  )
  lines.push('')
  const total = summary.added + summary.removed + summary.modified
  if (total === 0) {
    lines.push('No changes: the system matches its baseline.')
  } else {
    lines.push(
      `Changes: ${formatCount(total)} — ${formatCount(summary.added)} added, ` +
        `${formatCount(summary.removed)} removed, ${formatCount(summary.modified)} modified`,
    )
    const byAttribute = Object.entries(summary.byAttribute).sort(
      (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
    )
    if (byAttribute.length > 0) {
      lines.push(
        `Modified attributes: ${byAttribute.map(([name, count]) => `${name} ${formatCount(count)}`).join(', ')}`,
      )
    }
    for (const kind of ['added', 'removed', 'modified'] as const) {
      const ofKind = report.changes.filter((change) => change.change === kind)
      if (ofKind.length === 0) continue
      lines.push('', `${kind[0]?.toUpperCase()}${kind.slice(1)} (${formatCount(ofKind.length)})`)
      for (const change of ofKind) lines.push(...renderChange(change))
    }
  }
  if (report.notChecked.length > 0) {
    lines.push('', `Not checked (${formatCount(report.notChecked.length)})`)
    for (const item of report.notChecked)
      lines.push(`  ! ${item.path}: ${item.reason} (${item.detail})`)
  }
  return `${lines.join('\n')}\n`
}

function renderChange(change: ReportedChange): string[] {
  const lines: string[] = []
  let heading = `  ${SIGN[change.change]} ${change.key}`
  if (change.renamedFrom !== undefined) heading += `  (renamed from ${change.renamedFrom})`
  if (change.renamedTo !== undefined) heading += `  (renamed to ${change.renamedTo})`
  if (change.change !== 'modified') {
    const side = change.change === 'added' ? 'after' : 'before'
    const type = change.fields['type']?.[side]
    const mode = change.fields['mode']?.[side]
    const owner = change.fields['user']?.[side] ?? change.fields['uid']?.[side]
    const size = change.fields['size']?.[side]
    const facts = [type, mode, owner, typeof size === 'number' ? formatBytes(size) : undefined]
      .filter((fact) => fact !== undefined && fact !== null)
      .map(String)
    if (facts.length > 0) heading += `  [${facts.join(', ')}]`
    lines.push(heading)
    return lines
  }
  lines.push(heading)
  for (const [name, field] of Object.entries(change.fields)) {
    lines.push(
      `      ${name}: ${formatValue(name, field.before)} → ${formatValue(name, field.after)}`,
    )
  }
  if (change.contentDiff !== undefined) {
    for (const line of change.contentDiff.split('\n')) lines.push(`      ${line}`)
  }
  return lines
}
