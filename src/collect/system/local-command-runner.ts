// Runs programs on the live host for the collectors that need them (systemctl, ip): a timeout,
// no shell, a plain environment, and "not installed" told apart from "failed".
import { spawnSync } from 'node:child_process'
import type { CommandResult, CommandRunner } from './system-collector.js'

const TIMEOUT_MS = 10_000
const MAX_OUTPUT_BYTES = 32 * 1024 * 1024

export class LocalCommandRunner implements CommandRunner {
  run(command: string, args: readonly string[]): CommandResult | undefined {
    const result = spawnSync(command, args, {
      encoding: 'utf8',
      timeout: TIMEOUT_MS,
      maxBuffer: MAX_OUTPUT_BYTES,
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const error: NodeJS.ErrnoException | undefined = result.error
    if (error?.code === 'ENOENT') return undefined
    return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' }
  }
}
