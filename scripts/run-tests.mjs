// Runs every test file through node:test with tsx. Node 20 does not discover .ts test files,
// so they are listed here explicitly: unit tests beside the code in src/, integration tests in test/.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'

function findTests(dir) {
  const found = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) found.push(...findTests(path))
    else if (entry.name.endsWith('.test.ts')) found.push(path)
  }
  return found
}

const files = [...findTests('src'), ...findTests('test')].sort()
const filter = process.argv.slice(2)
const selected = filter.length ? files.filter((f) => filter.some((p) => f.includes(p))) : files
if (selected.length === 0) {
  console.error('no test files matched')
  process.exit(1)
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...selected],
  { stdio: 'inherit' },
)
process.exit(result.status ?? 1)
