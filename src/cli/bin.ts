// Process entry point: real streams and environment, then exit with the command's status.
import { runCli } from './main.js'

export async function runFromProcess(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  })
  process.exitCode = code
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === new URL(`file://${process.argv[1]}`).href
) {
  await runFromProcess()
}
