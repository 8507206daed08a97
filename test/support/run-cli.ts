// Runs the driftwatch CLI in-process with captured output, as a user would see it.
import { runCli } from '../../src/cli/main.js'

export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export async function driftwatch(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { HOME: process.env['HOME'], ...env },
  })
  return { code, stdout, stderr }
}

/** Runs `check --format json` and parses the report. */
export async function checkJson(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{
  code: number
  stderr: string
  report: CheckJson
}> {
  const run = await driftwatch(['check', '--format', 'json', '--quiet', ...args], env)
  if (run.code > 1) throw new Error(`check failed (${run.code}): ${run.stderr}`)
  return { code: run.code, stderr: run.stderr, report: JSON.parse(run.stdout) as CheckJson }
}

export interface CheckJson {
  summary: {
    added: number
    removed: number
    modified: number
    byAttribute: Record<string, number>
    notChecked: number
  }
  changes: {
    key: string
    change: 'added' | 'removed' | 'modified'
    fields: Record<string, { before: unknown; after: unknown }>
    renamedFrom?: string
    renamedTo?: string
    contentDiff?: string
  }[]
  notChecked: { path: string; reason: string; detail: string }[]
}
