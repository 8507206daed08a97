// Where systemd looks for system units, in its order of precedence: a unit name found in an
// earlier directory hides the same name in later ones.

/**
 * `config` is the administrator's directory (links there enable units), `runtime` lasts until the
 * next boot, `vendor` is what packages install.
 */
export type UnitScope = 'config' | 'runtime' | 'vendor'

export interface UnitDirectory {
  readonly path: string
  readonly scope: UnitScope
}

const CONFIG: UnitDirectory = { path: '/etc/systemd/system', scope: 'config' }
const RUNTIME: UnitDirectory = { path: '/run/systemd/system', scope: 'runtime' }
const VENDOR: readonly UnitDirectory[] = [
  { path: '/usr/local/lib/systemd/system', scope: 'vendor' },
  { path: '/usr/lib/systemd/system', scope: 'vendor' },
  // Before the /usr merge packages installed here; after it, this is /usr/lib again.
  { path: '/lib/systemd/system', scope: 'vendor' },
]

/**
 * The unit directories to read. /run is read only on the running host: in an image it holds
 * whatever the last boot left, which is not the image's configuration.
 *
 * @example unitDirectories(false).map((d) => d.path)[0] // '/etc/systemd/system'
 */
export function unitDirectories(live: boolean): UnitDirectory[] {
  return live ? [CONFIG, RUNTIME, ...VENDOR] : [CONFIG, ...VENDOR]
}
