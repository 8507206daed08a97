// Sysctl keys. Files may write them with dots or slashes: when the first separator is a dot,
// dots and slashes swap (`net.ipv4.conf.eth0/100.rp_filter` is /proc/sys/net/ipv4/conf/eth0.100/
// rp_filter); when it is a slash, the key is the path. driftwatch shows the dotted form.

/** Printable ASCII but the path separator: anything else in a key is a typo or an attack. */
const COMPONENT = /^[!-.0-~]+$/

/**
 * The components of a key as written in a sysctl file (the path under /proc/sys); undefined
 * when it is not a key.
 *
 * @example sysctlKeyComponents('net.ipv4.conf.eth0/100.rp_filter') // ['net', 'ipv4', 'conf', 'eth0.100', 'rp_filter']
 * @example sysctlKeyComponents('net/ipv4/ip_forward') // ['net', 'ipv4', 'ip_forward']
 */
export function sysctlKeyComponents(written: string): string[] | undefined {
  const key = written.replace(/^\/+/, '')
  const firstSeparator = /[./]/.exec(key)?.[0]
  const components =
    firstSeparator === '/'
      ? key.split('/')
      : key.split('.').map((component) => component.replaceAll('/', '.'))
  const valid = components.every(
    (component) => COMPONENT.test(component) && component !== '.' && component !== '..',
  )
  return valid ? components : undefined
}

/**
 * The dotted key driftwatch shows, as `sysctl -a` prints it: dots inside a component become
 * slashes.
 *
 * @example dottedSysctlKey(['net', 'ipv4', 'conf', 'eth0.100', 'rp_filter']) // 'net.ipv4.conf.eth0/100.rp_filter'
 */
export function dottedSysctlKey(components: readonly string[]): string {
  return components.map((component) => component.replaceAll('.', '/')).join('.')
}

/** Whether a key is a glob pattern (systemd-sysctl writes it to every matching key). */
export function isSysctlGlob(components: readonly string[]): boolean {
  return components.some((component) => /[*?[]/.test(component))
}
