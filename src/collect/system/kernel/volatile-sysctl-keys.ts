// Sysctl keys driftwatch never reads on a live host. Volatile ones change on their own, so
// recording them would report a change on every check; secrets must not reach a report; actions
// are triggers, not settings (reading some of them even does something).
//
// Volatile keys were found by reading all of /proc/sys twice, a second apart, on the development
// machine (Linux 6.18, idle): fs.dentry-state, fs.file-nr, fs.inode-nr, fs.inode-state,
// kernel.ns_last_pid and kernel.random.uuid changed. The others are counters or per-boot values
// that the kernel documentation (Documentation/admin-guide/sysctl/) describes as such, which
// were quiet during that second.

/** Counters and per-boot values. */
export const VOLATILE_SYSCTL_KEYS: ReadonlySet<string> = new Set([
  // changed within one second on the development machine
  'fs.dentry-state',
  'fs.file-nr',
  'fs.inode-nr',
  'fs.inode-state',
  'kernel.ns_last_pid',
  'kernel.random.uuid',
  // counters and per-boot values (kernel documentation)
  'fs.aio-nr',
  'fs.quota.allocated_dquots',
  'fs.quota.cache_hits',
  'fs.quota.drops',
  'fs.quota.free_dquots',
  'fs.quota.lookups',
  'fs.quota.reads',
  'fs.quota.syncs',
  'fs.quota.writes',
  'kernel.hung_task_detect_count',
  'kernel.pty.nr',
  'kernel.random.boot_id',
  'kernel.random.entropy_avail',
  'net.core.netdev_rss_key',
  'net.netfilter.nf_conntrack_count',
  // lowered by the kernel itself when perf interrupts take too long
  'kernel.perf_event_max_sample_rate',
])

/** Secret keys: a TCP Fast Open cookie key and the seeds of stable IPv6 privacy addresses. */
const SECRET_SYSCTL_KEYS = [
  /^net\.ipv4\.tcp_fastopen_key$/,
  /^net\.ipv6\.conf\.[^.]+\.stable_secret$/,
]

/** Triggers: writing does something once; reading tells nothing (vm.stat_refresh even acts). */
const ACTION_SYSCTL_KEYS: ReadonlySet<string> = new Set([
  'fs.xfs.stats_clear',
  'net.ipv4.route.flush',
  'net.ipv6.route.flush',
  'vm.compact_memory',
  'vm.drop_caches',
  'vm.stat_refresh',
])

/**
 * Whether the live value of a key is left out.
 *
 * @example liveValueLeftOut('kernel.random.uuid') // true
 * @example liveValueLeftOut('net.ipv4.ip_forward') // false
 */
export function liveValueLeftOut(key: string): boolean {
  return VOLATILE_SYSCTL_KEYS.has(key) || ACTION_SYSCTL_KEYS.has(key) || isSecretSysctl(key)
}

/**
 * Whether a key holds a secret: its configured value is recorded only as a digest.
 *
 * @example isSecretSysctl('net.ipv6.conf.eth0.stable_secret') // true
 */
export function isSecretSysctl(key: string): boolean {
  return SECRET_SYSCTL_KEYS.some((pattern) => pattern.test(key))
}
