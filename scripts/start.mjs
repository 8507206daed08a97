// `npm start`: check this machine against its baseline, creating the baseline on the first run.
// The database lives in .driftwatch/ in this folder; the signing key in ~/.config/driftwatch/.
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runFromProcess } from '../dist-bundle/bin.js'

const home = join(dirname(fileURLToPath(import.meta.url)), '..', '.driftwatch')
const db = process.env.DRIFTWATCH_DB ?? join(home, 'host.db')
mkdirSync(dirname(db), { recursive: true })

const command = existsSync(db) ? 'check' : 'init'
if (command === 'init') {
  console.log(`First run: taking the baseline of this host into ${db} (later runs check against it).`)
}
process.argv = [process.argv[0], 'driftwatch', command, '--db', db, ...process.argv.slice(2)]
await runFromProcess()
// Changes found (exit 1) are the report's news, not a failure of `npm start`.
if (process.exitCode === 1) process.exitCode = 0
