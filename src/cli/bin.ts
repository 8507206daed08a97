// Process entry point: real streams and environment, then exit with the command's status.
import { runCli } from './main.js'

export async function runFromProcess(): Promise<void> {
  // `driftwatch snapshot | head`: the reader left, so nothing more can be said — exit quietly,
  // as other Unix tools do, rather than with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error
      process.exit(process.exitCode ?? 0)
    })
  }
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
