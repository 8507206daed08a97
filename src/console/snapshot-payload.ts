// What an agent may push, checked before anything is stored: sizes are bounded, every element's
// attributes are a flat JSON object of plain values, and no key appears twice.
import { z } from 'zod'
import { DriftwatchError } from '../errors/index.js'
import type { FileProvenance } from '../reconcile/index.js'
import type { IncomingSnapshot, NodeIdentity } from '../store/index.js'

const KEY = z
  .string()
  .min(3)
  .max(4096)
  .regex(/^[a-z][a-z0-9-]*:/, 'expected kind:identifier')
const MAX_ELEMENTS = 2_000_000
const HEX_DIGEST = z.string().regex(/^[0-9a-fA-F]{32,128}$/, 'expected a hex digest')

export const identitySchema = z.strictObject({
  hostname: z.string().min(1).max(255),
  machineId: z.string().max(128).optional(),
  productUuid: z.string().max(128).optional(),
  macs: z.array(z.string().max(64)).max(256).optional(),
})

export const snapshotPushSchema = z.strictObject({
  identity: identitySchema,
  snapshot: z.strictObject({
    uuid: z.string().regex(/^[A-Za-z0-9-]{8,64}$/, 'expected a UUID'),
    sequence: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    base: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).nullable(),
    takenAt: z.iso.datetime({ offset: true }),
    elements: z
      .array(
        z.strictObject({
          key: KEY,
          attributes: z.string().min(2).max(65_536),
          content: z
            .string()
            .max(4 * 1024 * 1024)
            .optional(),
          unverified: z.array(z.string().max(64)).max(64).optional(),
        }),
      )
      .max(MAX_ELEMENTS),
    removed: z.array(KEY).max(MAX_ELEMENTS),
    uncertain: z.array(z.string().max(4096)).max(100_000),
    notChecked: z.array(z.unknown()).max(1_000_000),
  }),
  /** What the package database records for the changed files the snapshot sends. */
  provenance: z
    .array(
      z.strictObject({
        path: z.string().min(1).max(4096),
        packageKey: KEY.refine((key) => key.startsWith('package:'), 'expected a package: key'),
        version: z.string().max(256),
        algorithm: z.string().regex(/^[a-z0-9-]{2,16}$/, 'expected a digest algorithm name'),
        recorded: HEX_DIGEST,
        observed: HEX_DIGEST,
      }),
    )
    .max(MAX_ELEMENTS)
    .optional(),
})

export type SnapshotPush = z.output<typeof snapshotPushSchema>

/** The pushed snapshot, once its attributes are known to be flat objects and its keys unique. */
export function checkedSnapshot(push: SnapshotPush): {
  snapshot: IncomingSnapshot
  identity: NodeIdentity
  provenance: readonly FileProvenance[]
} {
  const keys = new Set<string>()
  push.snapshot.elements.forEach((element, index) => {
    const place = `body.snapshot.elements.${index}`
    if (keys.has(element.key)) invalid(`${place}.key`, `"${element.key}" appears twice`)
    keys.add(element.key)
    let attributes: unknown
    try {
      attributes = JSON.parse(element.attributes)
    } catch {
      invalid(`${place}.attributes`, 'not JSON')
    }
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
      invalid(`${place}.attributes`, 'expected a JSON object')
    }
    for (const value of Object.values(attributes)) {
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
        invalid(
          `${place}.attributes`,
          'attribute values must be strings, numbers, booleans or null',
        )
      }
    }
  })
  if (push.snapshot.base === null && push.snapshot.removed.length > 0) {
    invalid('body.snapshot.removed', 'a whole snapshot (base null) removes nothing')
  }
  if (push.snapshot.base !== null && push.snapshot.base >= push.snapshot.sequence) {
    invalid('body.snapshot.base', 'a delta is taken against an older snapshot')
  }
  const provenance = push.provenance ?? []
  provenance.forEach((record, index) => {
    if (!keys.has(`file:${record.path}`))
      invalid(`body.provenance.${index}.path`, `"${record.path}" is not a file the snapshot sends`)
  })
  return { snapshot: push.snapshot, identity: push.identity, provenance }
}

function invalid(path: string, message: string): never {
  throw new DriftwatchError('DW_ERR_PAYLOAD_INVALID', `${path}: ${message}`, {
    details: { errors: [{ path, message }] },
  })
}
