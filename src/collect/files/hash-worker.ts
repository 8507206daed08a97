// Worker thread: reads the batches of paths the hash pool sends it (see file-reader.ts).
import { parentPort, workerData } from 'node:worker_threads'
import { FileReader } from './file-reader.js'
import type { HashRequest, HashWorkerSetup } from './file-reading.js'

const reader = new FileReader(workerData as HashWorkerSetup)
parentPort?.on('message', (request: HashRequest) => parentPort?.postMessage(reader.read(request)))
