// assess-throughput.ts: how fast the policy engine judges stored snapshots. One snapshot of this
// host is collected with the collection spec of every shipped policy, stored 1,000 times in a
// SQLite table with small variations (a sysctl, a service state, a user's shell, a file mode),
// then every shipped test is evaluated over each snapshot read back from the table.
//
// Usage: node --import tsx bench/assess-throughput.ts [--snapshots N] [--policy ID …]
import Database from 'better-sqlite3'
import { DEFAULTS } from '../src/config/index.js'
import { LocalCommandRunner, SnapshotCollector } from '../src/collect/index.js'
import { deserializeElement, type Element } from '../src/model/index.js'
import { assess, collectionSpecFor } from '../src/policy/index.js'
import { resolvePolicies } from '../src/standalone/assess-system.js'
import { openTarget } from '../src/target/index.js'

const args = process.argv.slice(2)
const count = Number(args[args.indexOf('--snapshots') + 1] ?? 1000) || 1000
const policyIds = args.flatMap((arg, index) => (args[index - 1] === '--policy' ? [arg] : []))
const policies = await resolvePolicies(policyIds)
const tests = policies.reduce((sum, policy) => sum + policy.tests.length, 0)

const target = openTarget({})
const collectStarted = performance.now()
const elements: Element[] = []
await new SnapshotCollector(target, collectionSpecFor(policies), {
  commands: new LocalCommandRunner(),
}).collect((element) => elements.push(deserializeElement(element)))
const collectSeconds = (performance.now() - collectStarted) / 1000

const db = new Database(':memory:')
db.exec('CREATE TABLE snapshots (id INTEGER PRIMARY KEY, elements TEXT NOT NULL)')
const insert = db.prepare('INSERT INTO snapshots (elements) VALUES (?)')
db.transaction(() => {
  for (let i = 0; i < count; i++) {
    const varied = elements.map((element) => {
      if (i % 3 === 0 && element.key === 'sysctl:net.ipv4.ip_forward') {
        return { ...element, attributes: { ...element.attributes, value: String(i % 2) } }
      }
      if (i % 5 === 0 && element.key.startsWith('user:') && element.attributes['uid'] === 0) {
        return {
          ...element,
          attributes: { ...element.attributes, shell: i % 10 === 0 ? '/bin/sh' : '/bin/bash' },
        }
      }
      if (i % 7 === 0 && element.key === 'file:/etc/shadow') {
        return { ...element, attributes: { ...element.attributes, mode: '0644' } }
      }
      return element
    })
    insert.run(JSON.stringify(varied))
  }
})()

const select = db.prepare('SELECT elements FROM snapshots ORDER BY id').pluck()
const started = performance.now()
let failures = 0
for (const text of select.iterate() as IterableIterator<string>) {
  const snapshot = JSON.parse(text) as Element[]
  const result = assess({
    policies,
    elements: new Map(snapshot.map((element) => [element.key, element])),
    node: { name: 'bench', kind: 'host', tags: [], live: true },
    deadlines: DEFAULTS.deadlines,
    now: new Date(),
  })
  failures += result.counts.fail
}
const seconds = (performance.now() - started) / 1000
console.log(`### Policy evaluation over stored snapshots (\`node --import tsx bench/assess-throughput.ts --snapshots ${count}\`)

- ${new Date().toISOString().slice(0, 16)}Z, node ${process.version}; policies: ${policies.map((p) => `${p.id} (${p.tests.length})`).join(', ')} — ${tests} tests
- one snapshot of this host: ${elements.length} elements, collected in ${collectSeconds.toFixed(2)} s; stored ${count} times with variations in a SQLite table

| measure | value |
|---|---|
| snapshots evaluated | ${count} |
| tests evaluated | ${count * tests} |
| wall time (read, parse, evaluate) | ${seconds.toFixed(2)} s |
| **snapshots per second** | **${(count / seconds).toFixed(0)}** |
| tests per second | ${((count * tests) / seconds).toFixed(0)} |
| failures found in all (sanity) | ${failures} |`)
