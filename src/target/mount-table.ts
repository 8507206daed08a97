// Mount points of the running kernel, from /proc/self/mountinfo: a scan skips pseudo filesystems
// (proc, sysfs, cgroup …) even when it is allowed to cross into other filesystems.
import { readFileSync } from 'node:fs'

export const PSEUDO_FILESYSTEM_TYPES: ReadonlySet<string> = new Set([
  'proc',
  'sysfs',
  'devtmpfs',
  'devpts',
  'cgroup',
  'cgroup2',
  'securityfs',
  'debugfs',
  'tracefs',
  'pstore',
  'bpf',
  'mqueue',
  'hugetlbfs',
  'configfs',
  'fusectl',
  'binfmt_misc',
  'autofs',
  'efivarfs',
  'rpc_pipefs',
  'nsfs',
  'selinuxfs',
  'nfsd',
])

export interface MountPoint {
  /** Raw host path of the mount point. */
  readonly rawPath: string
  readonly fsType: string
}

/** Parses mountinfo text; mount point names use octal escapes (`\040` for a space). */
export function parseMountInfo(text: string): MountPoint[] {
  const mounts: MountPoint[] = []
  for (const line of text.split('\n')) {
    const fields = line.split(' ')
    const separator = fields.indexOf('-')
    const mountPoint = fields[4]
    const fsType = separator >= 0 ? fields[separator + 1] : undefined
    if (mountPoint === undefined || fsType === undefined) continue
    const rawPath = mountPoint.replace(/\\([0-7]{3})/g, (_, octal: string) =>
      String.fromCharCode(parseInt(octal, 8)),
    )
    mounts.push({ rawPath, fsType })
  }
  return mounts
}

/** The running kernel's mount table; empty where /proc is not mounted. */
export function readMountTable(): MountPoint[] {
  try {
    return parseMountInfo(readFileSync('/proc/self/mountinfo', 'latin1'))
  } catch {
    return []
  }
}
