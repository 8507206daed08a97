// The config parsers by the name a policy gives in `parser:`.
import type { ConfigParser } from './config-parser.js'
import { fstabParser } from './fstab-parser.js'
import { iniParser } from './ini-parser.js'
import { keyValueParser, libvirtConfParser } from './key-value-parser.js'
import { pamParser } from './pam-parser.js'
import { sshdParser } from './sshd-parser.js'

export type ConfigParserName = 'sshd' | 'keyvalue' | 'libvirt' | 'pam' | 'ini' | 'fstab'

/**
 * Every config parser, by name. The object has no prototype, so a name from a policy such as
 * `constructor` or `__proto__` finds nothing rather than one of Object's members.
 *
 * @example CONFIG_PARSERS['sshd']?.parse('/etc/ssh/sshd_config', text, files)
 */
export const CONFIG_PARSERS: Readonly<Record<string, ConfigParser>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, ConfigParser>, {
    sshd: sshdParser,
    keyvalue: keyValueParser,
    libvirt: libvirtConfParser,
    pam: pamParser,
    ini: iniParser,
    fstab: fstabParser,
  } satisfies Record<ConfigParserName, ConfigParser>),
)
