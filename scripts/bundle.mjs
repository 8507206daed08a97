// Bundles the command line into dist-bundle/ with esbuild: one entry for the CLI, one for the hash
// worker, shared code and the lazily loaded parts (collectors, the rules-file loader, the
// content differ) as chunks beside them. Loading ~80 small ES modules one by one costs ~50 ms at
// every start; the bundle ~25 ms (bench/RESULTS.md). tsc's dist/ stays the library build.
import { build } from 'esbuild'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'

const outdir = 'dist-bundle'
rmSync(outdir, { recursive: true, force: true })
await build({
  entryPoints: ['src/cli/bin.ts', 'src/collect/files/hash-worker.ts'],
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir,
  // Flat: the hash pool finds the worker as ./hash-worker.js beside whichever chunk holds it.
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  // Native addons (and pg's optional one), and @peculiar/x509 whose CommonJS build loses its
  // named exports when bundled: loaded from node_modules at run time.
  external: ['better-sqlite3', '@node-rs/argon2', 'pg-native', '@peculiar/x509'],
  // CommonJS dependencies (commander) call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __dwCreateRequire } from 'node:module'; const require = __dwCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
  // Less source to scan at every start (~10 ms of 0.25 s for assess); names are kept, and
  // `node --enable-source-maps` maps stack traces back to src/ through the .map files.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
})
writeFileSync(`${outdir}/package.json`, '{ "type": "module" }\n')

// The shipped policies, validated now and stored by the SHA-256 of their text, so `assess` does
// not parse and validate thousands of lines of YAML at every start (src/policy/policy-loader.ts).
const { parsePolicy } = await import('../dist/policy/policy-parser.js')
const stored = {}
for (const name of readdirSync('policies').filter((file) => file.endsWith('.yaml')).sort()) {
  const text = readFileSync(`policies/${name}`, 'utf8')
  const { source: _source, ...policy } = parsePolicy(text, `policies/${name}`)
  stored[createHash('sha256').update(text).digest('hex')] = policy
}
writeFileSync(`${outdir}/shipped-policies.json`, JSON.stringify(stored))
