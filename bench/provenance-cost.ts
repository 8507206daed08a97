// provenance-cost.ts: what it costs an agent to establish the package provenance of the files a
// scan found changed (issue 6), on this host's real dpkg database, side by side with what a script
// does today: `dpkg -S` for the owners, then `debsums` on those packages (which hashes every file
// of each owning package, not just the changed ones).
// For each count of changed files (picked evenly from this host's package-owned regular files),
// every figure is the median of --runs runs; the page cache is warm for both.
//
// Usage: node --import tsx bench/provenance-cost.ts [--runs 7]
import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { changedFileProvenance } from '../src/agent/changed-file-provenance.js'
import type { IncomingElement } from '../src/store/index.js'
import { openTarget } from '../src/target/index.js'

const args = process.argv.slice(2)
const runs = Number(args[args.indexOf('--runs') + 1] ?? 7) || 7
const COUNTS = [1, 20, 200]

/** Package-owned regular files with an md5sums line, spread over many packages. */
function ownedFiles(): { path: string; name: string }[] {
  const files: { path: string; name: string }[] = []
  const info = '/var/lib/dpkg/info'
  for (const entry of readdirSync(info)
    .filter((name) => name.endsWith('.md5sums'))
    .sort()) {
    const name = entry.slice(0, -'.md5sums'.length).split(':')[0] as string
    const line = readFileSync(`${info}/${entry}`, 'latin1').split('\n')[0]
    const path = line === undefined || line.length < 35 ? undefined : `/${line.slice(34)}`
    if (path === undefined) continue
    try {
      if (lstatSync(path).isFile()) files.push({ path, name })
    } catch {
      // Listed but absent (a doc file excluded by dpkg's path-exclude): not a candidate.
    }
  }
  return files
}

function element(path: string, content: Buffer): IncomingElement {
  const sha256 = createHash('sha256').update(content).digest('hex')
  return { key: `file:${path}`, attributes: JSON.stringify({ type: 'file', sha256 }) }
}

function packageElements(): IncomingElement[] {
  const status = execFileSync('dpkg-query', ['-W', '-f', '${Package}\t${Version}\n'], {
    encoding: 'utf8',
  })
  return status
    .trim()
    .split('\n')
    .map((line) => line.split('\t'))
    .map(([name, version]) => ({
      key: `package:${name}`,
      attributes: JSON.stringify({ manager: 'dpkg', version }),
    }))
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

function time(action: () => unknown): number {
  const start = process.hrtime.bigint()
  action()
  return Number(process.hrtime.bigint() - start) / 1e6
}

const all = ownedFiles()
/** A fixed shuffle (seeded), so every run and both tools see the same files. */
const shuffled = [...all]
let seed = 42
for (let i = shuffled.length - 1; i > 0; i--) {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
  const j = seed % (i + 1)
  ;[shuffled[i], shuffled[j]] = [
    shuffled[j] as (typeof all)[number],
    shuffled[i] as (typeof all)[number],
  ]
}
const packages = packageElements()
const target = openTarget({})
console.log(
  `host: ${all.length} package-owned files sampled, ${packages.length} packages; ${runs} runs each`,
)
console.log(
  '| changed files | their size | owning packages | driftwatch agent (ms) | dpkg -S + debsums (ms) | ratio |',
)
console.log('|---|---|---|---|---|---|')
for (const count of COUNTS) {
  // Nested samples: the 20 include the 1, the 200 include the 20.
  const picked = shuffled.slice(0, count)
  const elements = [...picked.map(({ path }) => element(path, readFileSync(path))), ...packages]
  // Acknowledged with other digests: every picked file counts as changed.
  const acknowledged = {
    sequence: 1,
    elements: Object.fromEntries(picked.map(({ path }) => [`file:${path}`, 'older'])),
  }
  const ours: number[] = []
  const theirs: number[] = []
  let found = 0
  for (let run = 0; run < runs; run++) {
    ours.push(time(() => (found = changedFileProvenance(target, elements, acknowledged).length)))
    theirs.push(
      time(() => {
        const owners = spawnSync('dpkg', ['-S', ...picked.map(({ path }) => path)], {
          encoding: 'utf8',
        }).stdout
        const names = new Set<string>()
        for (const line of owners.split('\n')) {
          if (line.startsWith('diversion by ') || !line.includes(': ')) continue
          for (const owner of line.slice(0, line.lastIndexOf(': ')).split(', '))
            names.add(owner.split(':')[0] as string)
        }
        // debsums exits 2 when a file differs, as some on a live host do: not a failure here.
        spawnSync('debsums', ['-s', ...names], { stdio: 'ignore' })
      }),
    )
  }
  if (found < count) console.error(`note: ${count - found} of ${count} files got no provenance`)
  const [a, b] = [median(ours), median(theirs)]
  const bytes = picked.reduce((sum, { path }) => sum + lstatSync(path).size, 0)
  const owning = new Set(picked.map(({ name }) => name)).size
  console.log(
    `| ${count} | ${(bytes / 1024).toFixed(0)} KiB | ${owning} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(b / a).toFixed(1)}× |`,
  )
}
