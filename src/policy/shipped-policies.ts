// Where the policies shipped with driftwatch are: policies/ at the package root, found from this
// module whether it runs from src/ (tsx), dist/ (tsc) or dist-bundle/ (esbuild).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export function shippedPoliciesDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url))
  for (let depth = 0; depth < 6; depth++) {
    const manifest = join(directory, 'package.json')
    if (existsSync(manifest) && existsSync(join(directory, 'policies'))) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name
      if (name === 'driftwatch') return join(directory, 'policies')
    }
    directory = dirname(directory)
  }
  throw new Error('the shipped policies folder was not found beside the driftwatch package')
}
