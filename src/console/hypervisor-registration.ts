// What registering a hypervisor checks, whether it comes through the API or the CLI: a spec the
// connectors know, no password in it (credentials live in the console's environment), a name.
import { DriftwatchError } from '../errors/index.js'
import { parseHypervisorSpec, uriHasPassword } from '../hypervisor/index.js'
import type { HypervisorToAdd } from '../store/index.js'

export const MIN_INTERVAL_SECONDS = 60
export const DEFAULT_INTERVAL_SECONDS = 900

/**
 * @throws DriftwatchError DW_ERR_USAGE (not libvirt:/vsphere:), DW_ERR_PAYLOAD_INVALID (a password
 *   in it, an interval under a minute), naming `place`
 * @example hypervisorToAdd({ spec: 'libvirt:qemu+ssh://kvm1/system' }, 'body').name // 'kvm1'
 */
export function hypervisorToAdd(
  input: {
    spec: string
    name?: string | undefined
    intervalSeconds?: number | undefined
    tags?: readonly string[] | undefined
  },
  place: string,
): HypervisorToAdd {
  const { kind, uri } = parseHypervisorSpec(input.spec)
  if (uriHasPassword(uri))
    throw new DriftwatchError(
      'DW_ERR_PAYLOAD_INVALID',
      `${place}.spec: holds a password; give the console its credentials in its environment (docs/hypervisors.md)`,
    )
  const intervalSeconds = input.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS
  if (!Number.isInteger(intervalSeconds) || intervalSeconds < MIN_INTERVAL_SECONDS)
    throw new DriftwatchError(
      'DW_ERR_PAYLOAD_INVALID',
      `${place}.intervalSeconds: at least ${MIN_INTERVAL_SECONDS} seconds`,
    )
  return {
    spec: `${kind}:${uri}`,
    name: input.name ?? defaultName(uri),
    intervalSeconds,
    tags: input.tags ?? [],
  }
}

/** `qemu+ssh://kvm1/system` → `kvm1`; `test:///default` → `test:///default` (no host). */
function defaultName(uri: string): string {
  try {
    const host = new URL(uri).hostname
    if (host !== '') return host
  } catch {
    // Not a URL a parser takes: the URI itself names it.
  }
  return uri
}
