// vcsim, govmomi's vCenter simulator, built here from Debian's sources (scripts/build-vcsim.sh)
// and run as a real HTTPS server on a loopback port for the vSphere tests and benchmark.
import { execFileSync, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build-vcsim.sh', import.meta.url))

export interface VcsimOptions {
  readonly clusters?: number
  readonly hostsPerCluster?: number
  readonly standaloneHosts?: number
  /** VMs per resource pool: each cluster and each standalone host has one. */
  readonly vmsPerPool?: number
  /** When set (with password), the only login vcsim accepts; otherwise any non-empty login. */
  readonly user?: string
  readonly password?: string
}

export interface RunningVcsim {
  /** `https://127.0.0.1:<port>/sdk`, without credentials. */
  readonly url: string
  /** SHA-256 of its self-signed certificate, lowercase hex. */
  readonly fingerprint: string
  stop(): Promise<void>
}

/** The vcsim binary, built (or found up to date) by the project's build script. */
export function vcsimBinary(): string {
  return execFileSync(BUILD_SCRIPT, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim()
}

/**
 * Starts vcsim and waits for the line with its URL. The caller stops it (t.after(vcsim.stop)).
 *
 * @example const vcsim = await startVcsim({ vmsPerPool: 2 })
 */
export async function startVcsim(options: VcsimOptions = {}): Promise<RunningVcsim> {
  const flags = [
    `-cluster=${options.clusters ?? 1}`,
    `-host=${options.hostsPerCluster ?? 3}`,
    `-standalone-host=${options.standaloneHosts ?? 1}`,
    `-vm=${options.vmsPerPool ?? 2}`,
    ...(options.user === undefined
      ? []
      : [`-user=${options.user}`, `-password=${options.password ?? ''}`]),
  ]
  const child = spawn(vcsimBinary(), flags, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const ready = await new Promise<{ url: string; fingerprint: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`vcsim did not start within 60 s: ${stderr}`))
    }, 60_000)
    child.once('exit', (code) => reject(new Error(`vcsim exited (${code}): ${stderr}`)))
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const line = stdout.split('\n')[0]
      if (!stdout.includes('\n') || line === undefined) return
      clearTimeout(timer)
      resolve(JSON.parse(line) as { url: string; fingerprint: string })
    })
  })
  return {
    ...ready,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
