// What sshd does with its keywords, where that differs from the rule (one option per keyword, the
// first value obtained wins, allowed inside Match blocks). From OpenSSH's servconf.c.

// Old names that set the same option as the current one.
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['challengeresponseauthentication', 'kbdinteractiveauthentication'],
  ['skeyauthentication', 'kbdinteractiveauthentication'],
  ['dsaauthentication', 'pubkeyauthentication'],
  ['hostbasedacceptedkeytypes', 'hostbasedacceptedalgorithms'],
  ['pubkeyacceptedkeytypes', 'pubkeyacceptedalgorithms'],
  ['hostdsakey', 'hostkey'],
  ['keepalive', 'tcpkeepalive'],
])

/** Options every line adds to, instead of the first line setting them. */
export const ACCUMULATED_OPTIONS: ReadonlySet<string> = new Set([
  'acceptenv',
  'allowgroups',
  'allowusers',
  'denygroups',
  'denyusers',
  'hostcertificate',
  'hostkey',
  'listenaddress',
  'port',
])

/** Options sshd assigns on every line, so the last one counts. */
export const LAST_WINS_OPTIONS: ReadonlySet<string> = new Set([
  'maxstartups',
  'persourcemaxstartups',
  'persourcenetblocksize',
])

/**
 * Options sshd refuses inside a Match block (SSHCFG_GLOBAL in servconf.c). Listed rather than
 * their complement so that a keyword newer than this list is never reported by mistake; for the
 * same reason Subsystem, allowed in Match blocks since OpenSSH 9.5, is not listed.
 */
export const GLOBAL_ONLY_OPTIONS: ReadonlySet<string> = new Set([
  'addressfamily',
  'afstokenpassing',
  'checkmail',
  'ciphers',
  'compression',
  'fingerprinthash',
  'gssapicleanupcredentials',
  'gssapikexalgorithms',
  'gssapikeyexchange',
  'gssapistorecredentialsonrekey',
  'gssapistrictacceptorcheck',
  'hostcertificate',
  'hostkey',
  'hostkeyagent',
  'hostkeyalgorithms',
  'ignoreuserknownhosts',
  'kerberosgetafstoken',
  'kerberosorlocalpasswd',
  'kerberostgtpassing',
  'kerberosticketcleanup',
  'kexalgorithms',
  'keyregenerationinterval',
  'listenaddress',
  'logingracetime',
  'macs',
  'maxstartups',
  'modulifile',
  'pamauthenticationviakbdint',
  'permituserenvironment',
  'persourcemaxstartups',
  'persourcenetblocksize',
  'persourcepenalties',
  'persourcepenaltyexemptlist',
  'pidfile',
  'port',
  'printlastlog',
  'printmotd',
  'protocol',
  'reversemappingcheck',
  'rhostsauthentication',
  'securitykeyprovider',
  'serverkeybits',
  'sshdauthpath',
  'sshdsessionpath',
  'strictmodes',
  'syslogfacility',
  'tcpkeepalive',
  'usedns',
  'uselogin',
  'usepam',
  'useprivilegeseparation',
  'verifyreversemapping',
  'versionaddendum',
  'xauthlocation',
])

/**
 * The option a keyword sets: lower case, with old names resolved to the current one.
 *
 * @example sshdOption('ChallengeResponseAuthentication') // 'kbdinteractiveauthentication'
 */
export function sshdOption(keyword: string): string {
  const lower = keyword.toLowerCase()
  return ALIASES.get(lower) ?? lower
}
