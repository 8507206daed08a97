// The check report for machines (docs/cli.md documents its shape).
import type { CheckReport } from '../standalone/index.js'

export function renderCheckJson(report: CheckReport): string {
  return `${JSON.stringify(
    {
      summary: { ...report.summary, notChecked: report.notChecked.length },
      check: {
        id: report.checkId,
        target: report.target,
        startedAt: report.startedAt,
        seconds: Number(report.seconds.toFixed(3)),
        scanned: report.scanned,
      },
      baseline: report.baseline,
      changes: report.changes.map((change) => ({
        key: change.key,
        change: change.change,
        fields: change.fields,
        ...(change.renamedFrom === undefined ? {} : { renamedFrom: change.renamedFrom }),
        ...(change.renamedTo === undefined ? {} : { renamedTo: change.renamedTo }),
        ...(change.contentDiff === undefined ? {} : { contentDiff: change.contentDiff }),
      })),
      notChecked: report.notChecked,
    },
    null,
    2,
  )}\n`
}
