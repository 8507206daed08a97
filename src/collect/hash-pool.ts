// A fixed set of hash workers; each takes one batch of paths at a time, in order of submission.
import { availableParallelism } from 'node:os'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { HashReply, HashRequest, HashWorkerSetup } from './file-reading.js'

interface Job {
  readonly request: HashRequest
  readonly resolve: (reply: HashReply) => void
  readonly reject: (error: Error) => void
}

// Run from source under tsx the worker is a .ts file, compiled it is .js.
const SOURCE_EXTENSION = extname(fileURLToPath(import.meta.url))
const WORKER_URL = new URL(`./hash-worker${SOURCE_EXTENSION}`, import.meta.url)
// Workers do not inherit tsx's loader hooks on Node 20: from source, a small ESM bootstrap
// registers tsx in the worker before importing the worker module.
const WORKER_ENTRY =
  SOURCE_EXTENSION === '.ts'
    ? new URL(
        `data:text/javascript,${encodeURIComponent(
          `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}\n` +
            `register()\nawait import(${JSON.stringify(WORKER_URL.href)})\n`,
        )}`,
      )
    : WORKER_URL

export class HashPool {
  private readonly idle: Worker[] = []
  private readonly busy = new Map<Worker, Job>()
  private readonly queue: Job[] = []
  private failure: Error | undefined

  constructor(setup: HashWorkerSetup, options: { threads?: number } = {}) {
    const threads = Math.max(1, options.threads ?? availableParallelism())
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(WORKER_ENTRY, {
        workerData: setup,
        // A small young generation: the workers allocate little that lives, and each MB of
        // semi-space is resident memory (measured: 4 MB saves ~8 MB per scan, costs no time).
        resourceLimits: { maxYoungGenerationSizeMb: 4 },
      })
      worker.on('message', (reply: HashReply) => this.finished(worker, reply))
      worker.on('error', (error) => this.failed(worker, error))
      this.idle.push(worker)
    }
  }

  /** Batches submitted and not yet finished. */
  get pending(): number {
    return this.queue.length + this.busy.size
  }

  get size(): number {
    return this.idle.length + this.busy.size
  }

  read(request: HashRequest): Promise<HashReply> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject })
      this.dispatch()
    })
  }

  async close(): Promise<void> {
    const workers = [...this.idle, ...this.busy.keys()]
    this.idle.length = 0
    await Promise.all(workers.map((worker) => worker.terminate()))
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop() as Worker
      const job = this.queue.shift() as Job
      this.busy.set(worker, job)
      worker.postMessage(job.request)
    }
  }

  private finished(worker: Worker, readings: HashReply): void {
    const job = this.busy.get(worker)
    this.busy.delete(worker)
    this.idle.push(worker)
    job?.resolve(readings)
    this.dispatch()
  }

  private failed(worker: Worker, error: Error): void {
    this.failure = error
    this.busy.get(worker)?.reject(error)
    this.busy.delete(worker)
    for (const job of this.queue.splice(0)) job.reject(error)
  }
}
