// `npm start`: the console on embedded SQLite plus a local agent scanning this machine with the
// shipped policies. Everything lives in .driftwatch/ in this folder: the console's database and
// TLS files in console/, the agent's credential and spool in agent/. The first run prints the
// administrator's password (once); later runs reuse everything. Ctrl-C stops both.
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAgent } from '../dist/agent/index.js'
import { resolveConsoleConfig } from '../dist/config/console-config.js'
import { startConsole } from '../dist/console/index.js'
import { newToken, tokenHash, TOKEN_PREFIXES } from '../dist/console/secrets.js'

const home = join(dirname(fileURLToPath(import.meta.url)), '..', '.driftwatch')
const stateDir = join(home, 'agent')
mkdirSync(home, { recursive: true, mode: 0o700 })

const config = resolveConsoleConfig(
  { data: join(home, 'console'), port: process.env.PORT ?? undefined },
  process.env,
)
let running
try {
  running = await startConsole(config, { logger: { level: 'warn' } })
} catch (error) {
  // Expected problems (a port in use, a bad setting) are one line, as in the CLI.
  if (error?.name !== 'DriftwatchError') throw error
  console.error(
    `driftwatch: ${error.message} [${error.code}] (PORT=… npm start picks another port)`,
  )
  process.exit(error.definition.exitCode)
}
console.log(`driftwatch console: ${running.url}  (API reference: ${running.url}/docs)`)
if (running.firstAdmin?.generatedPassword !== undefined) {
  console.log(
    `administrator: ${running.firstAdmin.name} / ${running.firstAdmin.generatedPassword}  (shown once: store it now)`,
  )
} else if (running.firstAdmin !== undefined) {
  console.log(`administrator: ${running.firstAdmin.name} / $DRIFTWATCH_ADMIN_PASSWORD`)
} else {
  console.log(
    'administrator: the password printed by the first `npm start` (or DRIFTWATCH_ADMIN_PASSWORD when it was set)',
  )
}

// The local agent enrolls once, with a token this process makes straight in the store.
let enrollmentToken
if (!existsSync(join(stateDir, 'credential.json'))) {
  enrollmentToken = newToken(TOKEN_PREFIXES.enrollment)
  const now = new Date()
  await running.store.createEnrollmentToken({
    tokenHash: tokenHash(enrollmentToken),
    tags: ['local'],
    reusable: false,
    createdBy: 'npm start',
    expiresAt: new Date(now.getTime() + 60 * 60 * 1000).toISOString(),
    now: now.toISOString(),
  })
}
console.log(
  `local agent: scanning this machine every ${config.intervalSeconds} s (state in ${stateDir})`,
)
console.log(
  'try: curl -s -H "Authorization: Bearer <token from POST /api/v1/login>" ' +
    `${running.url}/api/v1/nodes`,
)

const stop = new AbortController()
process.once('SIGINT', () => stop.abort())
process.once('SIGTERM', () => stop.abort())
try {
  await runAgent(
    { console: running.url, enrollmentToken, stateDir },
    { stderr: process.stderr, signal: stop.signal },
  )
} finally {
  await running.close()
}
