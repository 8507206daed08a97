// Reads batches of paths on worker threads and on the main thread. One worker fewer than the
// hashing threads asked for: the main thread, idle half the time while it only walks and stores,
// reads a batch itself whenever every worker has enough queued. Each worker costs ~25 MB of
// resident memory, so this keeps the speed of two workers at the memory of one (bench/RESULTS.md).
import { availableParallelism } from 'node:os'
import { extname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FileReader } from './file-reader.js'
import type { Worker } from 'node:worker_threads'
import type { HashReply, HashRequest, HashWorkerSetup } from './file-reading.js'

interface Job {
  readonly resolve: (reply: HashReply) => void
  readonly reject: (error: Error) => void
}

interface WorkerSlot {
  readonly worker: Worker
  /** Batches posted and not yet answered, oldest first: a worker answers in order. */
  readonly outstanding: Job[]
}

/** Batches queued per worker, so it never waits for the main thread between two batches. */
const WORKER_QUEUE_DEPTH = 4

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
  private readonly slots: WorkerSlot[] = []
  private readonly inline: FileReader
  private failure: Error | undefined

  /** @param options.threads hashing threads in all, the main thread included (default: cores) */
  constructor(setup: HashWorkerSetup, options: { threads?: number } = {}) {
    const threads = Math.max(1, options.threads ?? availableParallelism())
    this.inline = new FileReader(setup)
    // Loaded only to start a worker: `assess` reads on the main thread (~3 ms at every start).
    const workers = threads > 1 ? process.getBuiltinModule('node:worker_threads') : undefined
    for (let i = 0; workers !== undefined && i < threads - 1; i++) {
      const worker = new workers.Worker(WORKER_ENTRY, {
        workerData: setup,
        // A small young generation: the workers allocate little that lives, and each MB of
        // semi-space is resident memory (measured: 4 MB saves ~8 MB per scan, costs no time).
        resourceLimits: { maxYoungGenerationSizeMb: 4 },
      })
      const slot: WorkerSlot = { worker, outstanding: [] }
      worker.on('message', (reply: HashReply) => slot.outstanding.shift()?.resolve(reply))
      worker.on('error', (error) => this.failed(error))
      this.slots.push(slot)
    }
  }

  /** Whether a worker can take another batch now. */
  get workerHasRoom(): boolean {
    return (
      this.failure === undefined &&
      this.slots.some((slot) => slot.outstanding.length < WORKER_QUEUE_DEPTH)
    )
  }

  /** Sends a batch to the least busy worker. */
  dispatch(request: HashRequest): Promise<HashReply> {
    if (this.failure) return Promise.reject(this.failure)
    let chosen: WorkerSlot | undefined
    for (const slot of this.slots) {
      if (chosen === undefined || slot.outstanding.length < chosen.outstanding.length) chosen = slot
    }
    if (chosen === undefined) return Promise.resolve(this.inline.read(request))
    const slot = chosen
    return new Promise((resolve, reject) => {
      slot.outstanding.push({ resolve, reject })
      slot.worker.postMessage(request)
    })
  }

  /** Reads a batch on the calling (main) thread. */
  readHere(request: HashRequest): HashReply {
    return this.inline.read(request)
  }

  async close(): Promise<void> {
    const workers = this.slots.splice(0).map((slot) => slot.worker)
    await Promise.all(workers.map((worker) => worker.terminate()))
  }

  private failed(error: Error): void {
    this.failure = error
    for (const slot of this.slots) for (const job of slot.outstanding.splice(0)) job.reject(error)
  }
}
