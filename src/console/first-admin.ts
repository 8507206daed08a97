// The first start of a console creates its first administrator: the password comes from the
// environment, or is generated and shown once — it is never stored anywhere but as a hash.
import { randomBytes } from 'node:crypto'
import type { FleetStore } from '../store/index.js'
import { hashPassword } from './passwords.js'

export interface FirstAdmin {
  readonly name: string
  /** Set only when generated here: the caller shows it once. */
  readonly generatedPassword?: string
}

export async function ensureFirstAdmin(
  store: FleetStore,
  admin: { name: string; password?: string | undefined },
  now: string,
): Promise<FirstAdmin | undefined> {
  if ((await store.countUsers()) > 0) return undefined
  const generated = admin.password === undefined ? randomBytes(18).toString('base64url') : undefined
  try {
    await store.createUser({
      name: admin.name,
      passwordHash: await hashPassword(admin.password ?? (generated as string)),
      role: 'admin',
      actor: 'driftwatch',
      now,
    })
  } catch (error) {
    // Two consoles started at once on one empty database: the other one made the administrator.
    if ((await store.countUsers()) > 0) return undefined
    throw error
  }
  return { name: admin.name, ...(generated === undefined ? {} : { generatedPassword: generated }) }
}
