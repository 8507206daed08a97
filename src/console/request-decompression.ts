// Agents send big snapshots gzip-compressed. The body limit applies to what the body
// decompresses to (Fastify counts the bytes of the stream returned here), so a small
// compressed bomb is refused like any oversized body; other encodings are refused outright.
import type { FastifyInstance } from 'fastify'
import { createGunzip } from 'node:zlib'
import { DriftwatchError } from '../errors/index.js'

export function acceptGzipBodies(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const encoding = request.headers['content-encoding']
    if (encoding === undefined || encoding === 'identity') return payload
    if (encoding !== 'gzip') {
      throw new DriftwatchError(
        'DW_ERR_PAYLOAD_INVALID',
        `Content-Encoding ${encoding} is not accepted: send gzip or nothing`,
      )
    }
    const gunzip = createGunzip()
    // Fastify compares Content-Length with the bytes received on the wire: count those.
    let received = 0
    payload.on('data', (chunk: Buffer) => {
      received += chunk.length
      ;(gunzip as unknown as { receivedEncodedLength: number }).receivedEncodedLength = received
    })
    payload.on('error', (error) => gunzip.destroy(error))
    gunzip.on('error', () => payload.unpipe(gunzip))
    return Promise.resolve(payload.pipe(gunzip))
  })
}
