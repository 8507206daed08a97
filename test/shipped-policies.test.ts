// The shipped policies privileged-access and kvm-host on root filesystems built like the systems
// their author designed them for: a clean baseline, then one misconfiguration at a time, and
// exactly the tests that should notice it fail, with the actual value an administrator would read.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  chownSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { parsePolicy } from '../src/policy/policy-parser.js'
import { driftwatch } from './support/run-cli.js'
import { tempDir } from './support/temp-tree.js'

const PRIVILEGED_ACCESS = fileURLToPath(
  new URL('../policies/privileged-access.yaml', import.meta.url),
)
const KVM_HOST = fileURLToPath(new URL('../policies/kvm-host.yaml', import.meta.url))

// Owners and modes are part of what the policies judge: the fixtures' files must belong to root.
const NEEDS_ROOT = process.getuid?.() !== 0 && 'the fixtures need files owned by root'

// ------------------------------------------------------------------ root filesystems as data

interface FileEntry {
  readonly content: string
  readonly mode: number
  readonly uid?: number
  readonly gid?: number
}
interface DirectoryEntry {
  readonly directory: true
  readonly mode: number
}
interface LinkEntry {
  readonly link: string
}
type Entry = FileEntry | DirectoryEntry | LinkEntry
/** A root filesystem by path inside it; directories not listed are created 0755. */
type Tree = Readonly<Record<string, Entry>>

const file = (content: string, mode = 0o644): FileEntry => ({ content, mode })
const directory = (mode = 0o755): DirectoryEntry => ({ directory: true, mode })
const link = (target: string): LinkEntry => ({ link: target })

function fileAt(tree: Tree, path: string): FileEntry {
  const entry = tree[path]
  assert.ok(entry !== undefined && 'content' in entry, `the fixture has no file ${path}`)
  return entry
}

function withFile(tree: Tree, path: string, change: Partial<FileEntry>): Tree {
  return { ...tree, [path]: { ...fileAt(tree, path), ...change } }
}

function appendLines(tree: Tree, path: string, ...lines: string[]): Tree {
  const { content } = fileAt(tree, path)
  return withFile(tree, path, { content: content + lines.map((line) => `${line}\n`).join('') })
}

/** Replaces one whole line, which must be there: a scenario must not silently change nothing. */
function replaceLine(tree: Tree, path: string, line: string, replacement: string): Tree {
  const { content } = fileAt(tree, path)
  const lines = content.split('\n')
  const index = lines.indexOf(line)
  assert.ok(index !== -1, `${path} has no line ${JSON.stringify(line)}`)
  lines.splice(index, 1, replacement)
  return withFile(tree, path, { content: lines.join('\n') })
}

function chmod(tree: Tree, path: string, mode: number): Tree {
  const entry = tree[path]
  assert.ok(
    entry !== undefined && !('link' in entry),
    `the fixture has no file or directory ${path}`,
  )
  return { ...tree, [path]: { ...entry, mode } }
}

/** Writes the tree into a fresh directory: its modes, and root as owner unless it names one. */
function plant(t: TestContext, tree: Tree): string {
  const root = tempDir(t, 'dw-root-')
  for (const [path, entry] of Object.entries(tree).sort(([a], [b]) => a.localeCompare(b))) {
    const hostPath = join(root, path)
    mkdirSync(dirname(hostPath), { recursive: true, mode: 0o755 })
    if ('link' in entry) {
      symlinkSync(entry.link, hostPath)
    } else if ('directory' in entry) {
      mkdirSync(hostPath, { recursive: true })
      chmodSync(hostPath, entry.mode)
    } else {
      writeFileSync(hostPath, entry.content)
      chmodSync(hostPath, entry.mode)
      if (entry.uid !== undefined || entry.gid !== undefined) {
        chownSync(hostPath, entry.uid ?? 0, entry.gid ?? 0)
      }
    }
  }
  return root
}

/** The line of `path` in the tree that reads `line`, counted from 1, as evidence names it. */
function lineNumber(tree: Tree, path: string, line: string): number {
  const index = fileAt(tree, path).content.split('\n').indexOf(line)
  assert.ok(index !== -1, `${path} has no line ${JSON.stringify(line)}`)
  return index + 1
}

// ------------------------------------------------------------------ running assess

interface TestResult {
  readonly test: string
  readonly status: string
  readonly actual: string
}

interface Assessment {
  readonly code: number
  /** test id → status, for every test of the policy. */
  readonly statuses: Record<string, string>
  actual(test: string): string
  readonly results: readonly TestResult[]
}

async function assess(policy: string, root?: string): Promise<Assessment> {
  const where = root === undefined ? [] : ['--root', root]
  const run = await driftwatch(['assess', ...where, '--policy', policy, '--format', 'json'])
  assert.ok(run.code === 0 || run.code === 1, `assess exited ${run.code}: ${run.stderr}`)
  const { results } = JSON.parse(run.stdout) as { results: TestResult[] }
  return {
    code: run.code,
    statuses: Object.fromEntries(results.map((result) => [result.test, result.status])),
    actual: (id) => {
      const result = results.find((r) => r.test === id)
      assert.ok(result, `no result for ${id}`)
      return result.actual
    },
    results,
  }
}

/** Every test of a baseline, and `fail` for the ones a scenario should break. */
function failing(baseline: Record<string, string>, ...tests: string[]): Record<string, string> {
  for (const id of tests) assert.ok(id in baseline, `the policy has no test ${id}`)
  return { ...baseline, ...Object.fromEntries(tests.map((id) => [id, 'fail'])) }
}

// ------------------------------------------------------------------ a Debian 12 system

/** dpkg's status file with these packages installed. */
function dpkgStatus(...packages: string[]): FileEntry {
  return file(
    packages
      .map(
        (name) =>
          `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-1\n\n`,
      )
      .join(''),
  )
}

const GROUPS = [
  'root:x:0:',
  'daemon:x:1:',
  'disk:x:6:',
  'backup:x:34:',
  'shadow:x:42:',
  'sudo:x:27:alice',
  'docker:x:998:',
  'alice:x:1000:',
  'bob:x:1001:',
]

/** Accounts of a small Debian system: alice administers it through sudo, bob does not. */
function debianSystem(): Tree {
  const lines = (...items: string[]): string => items.map((line) => `${line}\n`).join('')
  const hash = '$y$j9T$abc$def'
  return {
    '/etc/os-release': file('ID=debian\nVERSION_ID="12"\n'),
    '/etc/hostname': file('fixture\n'),
    '/etc/passwd': file(
      lines(
        'root:x:0:0:root:/root:/bin/bash',
        'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
        'sync:x:4:65534:sync:/bin:/bin/sync',
        'backup:x:34:34:backup:/var/backups:/usr/sbin/nologin',
        'alice:x:1000:1000:Alice:/home/alice:/bin/bash',
        'bob:x:1001:1001:Bob:/home/bob:/bin/bash',
      ),
    ),
    '/etc/shadow': file(
      lines(
        `root:${hash}:19700:0:99999:7:::`,
        'daemon:*:19700:0:99999:7:::',
        'sync:*:19700:0:99999:7:::',
        'backup:*:19700:0:99999:7:::',
        `alice:${hash}:19700:0:99999:7:::`,
        `bob:${hash}:19700:0:99999:7:::`,
      ),
      0o640,
    ),
    '/etc/group': file(lines(...GROUPS)),
    // No group passwords and no group administrators; the members as in /etc/group.
    '/etc/gshadow': file(
      lines(
        ...GROUPS.map((group) => {
          const [name, , , members] = group.split(':')
          return `${name}:!::${members}`
        }),
      ),
      0o640,
    ),
    '/etc/pam.d': directory(),
    '/var/lib/dpkg': directory(),
    '/root': directory(),
    '/home/alice': directory(),
  }
}

// ------------------------------------------------------------------ privileged-access

/** A personal ed25519 key; its SHA256 fingerprint contains a `/`, as many do. */
const SSH_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKtCSPfE+AVu3QzGXKK/dNyafC3vbZM9I1fwRsn4YYrz mallory@laptop'

function sshFingerprint(key: string): string {
  const blob = Buffer.from(key.split(' ')[1] ?? '', 'base64')
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}

/** Administered as the policy asks: sudo by group, no SSH root logins, su behind pam_wheel. */
function administeredHost(): Tree {
  return {
    ...debianSystem(),
    '/var/lib/dpkg/status': dpkgStatus('sudo', 'openssh-server'),
    '/etc/sudoers': file(
      [
        'Defaults env_reset',
        'Defaults use_pty',
        'root ALL=(ALL:ALL) ALL',
        '%sudo ALL=(ALL:ALL) ALL',
        '@includedir /etc/sudoers.d',
        '',
      ].join('\n'),
      0o440,
    ),
    '/etc/sudoers.d': directory(0o755),
    '/etc/sudoers.d/README': file('# drop-ins\n', 0o440),
    '/etc/sudoers.d/ops': file('bob ALL=(root) /usr/bin/apt update\n%ops ALL=(ALL) ALL\n', 0o440),
    '/etc/ssh/sshd_config': file(
      'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin prohibit-password\n',
    ),
    '/etc/ssh/sshd_config.d/10-hardening.conf': file('PermitRootLogin no\n'),
    '/etc/pam.d/su': file(
      'auth       required   pam_wheel.so use_uid group=sugroup\n@include common-auth\n',
    ),
    '/root/.ssh': directory(),
    '/home/alice/.ssh/authorized_keys': file(`${SSH_KEY}\n`),
  }
}

const PRIVILEGED_ACCESS_BASELINE: Record<string, string> = {
  'admin-group-has-member': 'not-applicable', // for hosts: an image gets its admins at first boot
  'admin-groups-bounded': 'pass',
  'root-only-uid-0': 'pass',
  'root-group-only-root': 'pass',
  'no-empty-passwords': 'pass',
  'system-accounts-no-login-shell': 'pass',
  'shadow-group-empty': 'pass',
  'privileged-groups-no-group-admins': 'pass',
  'no-root-equivalent-groups': 'pass',
  'root-no-ssh-keys': 'pass',
  'su-restricted-to-group': 'pass',
  'sudo-rules-require-password': 'pass',
  'sudo-defaults-keep-authentication': 'pass',
  'sudo-full-rights-through-groups': 'pass',
  'sudo-no-shell-rules': 'pass',
  'sudoers-file-protected': 'pass',
  'sudoers-d-protected': 'pass',
  'ssh-root-login-not-by-password': 'pass',
  'ssh-root-login-disabled': 'pass',
  'ssh-no-empty-passwords': 'pass',
}

test(
  'privileged-access: an administered Debian image passes every test but the host-only one',
  { skip: NEEDS_ROOT },
  async (t) => {
    // RHEL's sync and operator accounts have gid 0 but no login shell: not a way into group root.
    let tree = appendLines(
      administeredHost(),
      '/etc/passwd',
      'sync2:x:5:0:sync:/sbin:/bin/sync',
      'operator:x:11:0:operator:/root:/sbin/nologin',
    )
    tree = appendLines(
      tree,
      '/etc/shadow',
      'sync2:*:19700:0:99999:7:::',
      'operator:*:19700:0:99999:7:::',
    )
    const assessment = await assess(PRIVILEGED_ACCESS, plant(t, tree))
    assert.deepEqual(assessment.statuses, PRIVILEGED_ACCESS_BASELINE)
    assert.equal(assessment.code, 0)
  },
)

test(
  'privileged-access: a backdoor uid-0 account, a root SSH key and root logins fail the root tests',
  { skip: NEEDS_ROOT },
  async (t) => {
    let tree = appendLines(administeredHost(), '/etc/passwd', 'toor:x:0:0::/root:/bin/sh')
    tree = appendLines(tree, '/etc/shadow', 'toor::19700:0:99999:7:::')
    tree = {
      ...tree,
      '/root/.ssh/authorized_keys': file(`${SSH_KEY}\n`),
      // Sorts before 10-hardening.conf, and sshd keeps the first value it reads.
      '/etc/ssh/sshd_config.d/05-early.conf': file('PermitRootLogin yes\n'),
    }
    const assessment = await assess(PRIVILEGED_ACCESS, plant(t, tree))
    assert.deepEqual(
      assessment.statuses,
      failing(
        PRIVILEGED_ACCESS_BASELINE,
        'root-only-uid-0',
        'no-empty-passwords',
        'root-no-ssh-keys',
        'ssh-root-login-not-by-password',
        'ssh-root-login-disabled',
      ),
    )
    assert.equal(assessment.code, 1)
    assert.equal(assessment.actual('root-only-uid-0'), '2 (root, toor)')
    assert.match(assessment.actual('no-empty-passwords'), /user:toor/)
    const fingerprint = sshFingerprint(SSH_KEY)
    assert.match(fingerprint, /\//, 'the key exercises element keys that contain a /')
    assert.ok(
      assessment.actual('root-no-ssh-keys').includes(`privileged:ssh-key:${fingerprint} (ssh-key)`),
      assessment.actual('root-no-ssh-keys'),
    )
    assert.equal(
      assessment.actual('ssh-root-login-not-by-password'),
      'yes (/etc/ssh/sshd_config.d/05-early.conf:1)',
    )
  },
)

test(
  'privileged-access: passwordless, per-user and shell sudo rules and loose sudoers modes fail',
  { skip: NEEDS_ROOT },
  async (t) => {
    let tree: Tree = {
      ...administeredHost(),
      '/etc/sudoers.d/zz-local': file(
        [
          'carol ALL=(ALL) NOPASSWD: ALL',
          'Defaults:bob !authenticate',
          'erin ALL=(root) /bin/bash',
          'dave ALL=(root) NOPASSWD: /usr/bin/systemctl restart nginx',
          '',
        ].join('\n'),
        0o644,
      ),
    }
    tree = chmod(tree, '/etc/sudoers', 0o640)
    tree = chmod(tree, '/etc/sudoers.d', 0o775)
    const assessment = await assess(PRIVILEGED_ACCESS, plant(t, tree))
    assert.deepEqual(
      assessment.statuses,
      failing(
        PRIVILEGED_ACCESS_BASELINE,
        'sudo-rules-require-password',
        'sudo-defaults-keep-authentication',
        'sudo-full-rights-through-groups',
        'sudo-no-shell-rules',
        'sudoers-file-protected',
        'sudoers-d-protected',
      ),
    )
    const nopasswd = assessment.actual('sudo-rules-require-password')
    assert.match(nopasswd, /^2 of \d+ fail: /)
    assert.match(nopasswd, /sudo-rule:carol ALL=\(ALL\) ALL/)
    assert.match(nopasswd, /sudo-rule:dave ALL=\(root\) \/usr\/bin\/systemctl restart nginx/)
    assert.match(
      assessment.actual('sudo-defaults-keep-authentication'),
      /Defaults:bob !authenticate \(\/etc\/sudoers\.d\/zz-local\)/,
    )
    assert.match(
      assessment.actual('sudo-full-rights-through-groups'),
      /^1 of \d+ fail: .*\(carol\)$/,
    )
    assert.match(assessment.actual('sudo-no-shell-rules'), /privileged:erin \(sudo-shell\)/)
    assert.equal(assessment.actual('sudoers-file-protected'), 'mode 0640')
    assert.match(
      assessment.actual('sudoers-d-protected'),
      /^mode 0775; 1 of \d+ fail: file:\/etc\/sudoers\.d\/zz-local \(0644\)$/,
    )
  },
)

test(
  'privileged-access: docker and shadow members, 12 admins and a shell on backup fail hygiene tests',
  { skip: NEEDS_ROOT },
  async (t) => {
    let tree = replaceLine(administeredHost(), '/etc/group', 'docker:x:998:', 'docker:x:998:bob')
    tree = replaceLine(tree, '/etc/group', 'shadow:x:42:', 'shadow:x:42:bob')
    tree = replaceLine(
      tree,
      '/etc/passwd',
      'backup:x:34:34:backup:/var/backups:/usr/sbin/nologin',
      'backup:x:34:34:backup:/var/backups:/bin/bash',
    )
    tree = replaceLine(tree, '/etc/gshadow', 'sudo:!::alice', 'sudo:!:bob:alice')
    // Administrators by primary group (gid 27, sudo), not listed in /etc/group.
    const admins = Array.from({ length: 11 }, (_, i) => ({ name: `adm${i + 1}`, uid: 2001 + i }))
    tree = appendLines(
      tree,
      '/etc/passwd',
      ...admins.map(({ name, uid }) => `${name}:x:${uid}:27::/home/${name}:/bin/bash`),
    )
    tree = appendLines(
      tree,
      '/etc/shadow',
      ...admins.map(({ name }) => `${name}:!:19700:0:99999:7:::`),
    )
    tree = appendLines(tree, '/etc/ssh/sshd_config.d/10-hardening.conf', 'PermitEmptyPasswords yes')
    const assessment = await assess(PRIVILEGED_ACCESS, plant(t, tree))
    assert.deepEqual(
      assessment.statuses,
      failing(
        PRIVILEGED_ACCESS_BASELINE,
        'admin-groups-bounded',
        'system-accounts-no-login-shell',
        'shadow-group-empty',
        'privileged-groups-no-group-admins',
        'no-root-equivalent-groups',
        'ssh-no-empty-passwords',
      ),
    )
    assert.match(assessment.actual('admin-groups-bounded'), /^12 \(adm1, /)
    assert.equal(assessment.actual('system-accounts-no-login-shell'), 'backup (/bin/bash)')
    assert.equal(assessment.actual('shadow-group-empty'), '1 (bob)')
    assert.match(assessment.actual('privileged-groups-no-group-admins'), /group:sudo \(bob\)/)
    assert.match(assessment.actual('no-root-equivalent-groups'), /privileged:bob \(group:docker\)/)
    assert.equal(
      assessment.actual('ssh-no-empty-passwords'),
      'yes (/etc/ssh/sshd_config.d/10-hardening.conf:2)',
    )
  },
)

// ------------------------------------------------------------------ kvm-host

// Excerpts of Debian 12's libvirt 9.0.0-4+deb12u2 configuration files: as packaged, every setting
// is commented out, and these are the commented-out lines for the keys kvm-host reads (examples
// included), none of which may count. The other lines are prose comments.
const LIBVIRTD_CONF = `# Master libvirt daemon configuration file
#listen_tls = 0
#listen_tcp = 1
#unix_sock_group = "libvirt"
#unix_sock_rw_perms = "0770"
#unix_sock_admin_perms = "0700"
#auth_unix_rw = "polkit"
#auth_tcp = "sasl"
#tls_no_verify_certificate = 1
`

const QEMU_CONF = `# Master configuration file for the QEMU driver.
#vnc_listen = "0.0.0.0"
#vnc_auto_unix_socket = 1
#vnc_tls = 1
#spice_listen = "0.0.0.0"
#spice_tls = 1
#spice_auto_unix_socket = 1
#       security_driver = [ "selinux", "apparmor" ]
#security_driver = "selinux"
#security_default_confined = 1
#       user = "qemu"   # A user named "qemu"
#       user = "+0"     # Super user (uid=0)
#       user = "100"    # A user named "100" or a user with uid=100
#user = "libvirt-qemu"
#group = "libvirt-qemu"
#dynamic_ownership = 1
#remember_owner = 1
#set_process_name = 1
#dump_guest_core = 1
#seccomp_sandbox = 1
#namespaces = [ "mount" ]
`

const DEFAULT_LIBVIRTD = `# Customizations for the libvirtd.service systemd unit

# Default behaviour is for libvirtd.service to start on boot
# so that VM autostart can be performed. We then want it to
# shutdown again if nothing was started and rely on systemd
# socket activation to start it again when some client app
# connects.
#LIBVIRTD_ARGS="--timeout 120"

# If systemd socket activation is disabled, then the following
# can be used to listen on TCP/TLS sockets
#LIBVIRTD_ARGS="--listen"
`

/** The other configuration files libvirt ships in /etc/libvirt: judged by owner and mode only. */
const OTHER_LIBVIRT_CONFS = [
  'libxl-lockd.conf',
  'libxl-sanlock.conf',
  'libxl.conf',
  'lxc.conf',
  'qemu-lockd.conf',
  'qemu-sanlock.conf',
  'virtlockd.conf',
  'virtlogd.conf',
]

/** A systemd unit file from its sections, each a list of `Key=value` lines. */
function unitFile(sections: Record<string, string[]>): FileEntry {
  return file(
    Object.entries(sections)
      .map(([name, lines]) => [`[${name}]`, ...lines, ''].join('\n'))
      .join('\n'),
  )
}

/** A socket of libvirtd, virtlogd or virtlockd as packaged, wanted by sockets.target. */
function socketUnit(description: string, unit: string[], socket: string[]): FileEntry {
  return unitFile({
    Unit: [`Description=${description}`, 'Before=libvirtd.service', ...unit],
    Socket: socket,
    Install: ['WantedBy=sockets.target'],
  })
}

const bindsTo = (socket: string): string[] => [`BindsTo=${socket}`, `After=${socket}`]

// libvirt's units in /lib/systemd/system, with the [Install] sections that decide what enabling
// them means; the services keep only the lines that say what they run.
const LIBVIRT_UNITS: Record<string, FileEntry> = {
  'libvirtd.socket': socketUnit(
    'Libvirt local socket',
    [],
    [
      'ListenStream=/run/libvirt/libvirt-sock',
      'Service=libvirtd.service',
      'SocketMode=0666',
      'RemoveOnStop=yes',
    ],
  ),
  'libvirtd-ro.socket': socketUnit('Libvirt local read-only socket', bindsTo('libvirtd.socket'), [
    'ListenStream=/run/libvirt/libvirt-sock-ro',
    'Service=libvirtd.service',
    'SocketMode=0666',
  ]),
  'libvirtd-admin.socket': socketUnit('Libvirt admin socket', bindsTo('libvirtd.socket'), [
    'ListenStream=/run/libvirt/libvirt-admin-sock',
    'Service=libvirtd.service',
    'SocketMode=0600',
  ]),
  'libvirtd-tcp.socket': socketUnit('Libvirt non-TLS IP socket', bindsTo('libvirtd.socket'), [
    'ListenStream=16509',
    'Service=libvirtd.service',
  ]),
  'libvirtd-tls.socket': socketUnit('Libvirt TLS IP socket', bindsTo('libvirtd.socket'), [
    'ListenStream=16514',
    'Service=libvirtd.service',
  ]),
  'virtlogd.socket': socketUnit(
    'Virtual machine log manager socket',
    [],
    ['ListenStream=/run/libvirt/virtlogd-sock', 'SocketMode=0600'],
  ),
  'virtlogd-admin.socket': socketUnit(
    'Virtual machine log manager socket',
    bindsTo('virtlogd.socket'),
    [
      'ListenStream=/run/libvirt/virtlogd-admin-sock',
      'Service=virtlogd.service',
      'SocketMode=0600',
    ],
  ),
  'virtlockd.socket': socketUnit(
    'Virtual machine lock manager socket',
    [],
    ['ListenStream=/run/libvirt/virtlockd-sock', 'SocketMode=0600'],
  ),
  'virtlockd-admin.socket': socketUnit(
    'Virtual machine lock manager admin socket',
    bindsTo('virtlockd.socket'),
    [
      'ListenStream=/run/libvirt/virtlockd-admin-sock',
      'Service=virtlockd.service',
      'SocketMode=0600',
    ],
  ),
  'libvirtd.service': unitFile({
    Unit: ['Description=Virtualization daemon'],
    Service: ['Type=notify', 'ExecStart=/usr/sbin/libvirtd $LIBVIRTD_ARGS'],
    Install: [
      'WantedBy=multi-user.target',
      'Also=virtlockd.socket',
      'Also=virtlogd.socket',
      'Also=libvirtd.socket',
      'Also=libvirtd-ro.socket',
    ],
  }),
  'virtlogd.service': unitFile({
    Unit: ['Description=Virtual machine log manager'],
    Service: ['ExecStart=/usr/sbin/virtlogd $VIRTLOGD_ARGS'],
    Install: ['Also=virtlogd.socket'],
  }),
  'virtlockd.service': unitFile({
    Unit: ['Description=Virtual machine lock manager'],
    Service: ['ExecStart=/usr/sbin/virtlockd $VIRTLOCKD_ARGS'],
    Install: ['Also=virtlockd.socket'],
  }),
  'libvirt-guests.service': unitFile({
    Unit: ['Description=Suspend/Resume Running libvirt Guests'],
    Service: ['Type=oneshot', 'ExecStart=/usr/lib/libvirt/libvirt-guests.sh start'],
    Install: ['WantedBy=multi-user.target'],
  }),
  'virt-guest-shutdown.target': unitFile({ Unit: ['Description=Libvirt guests shutdown'] }),
}

/** `systemctl enable UNIT` in a root: the link in the target's .wants directory. */
function enabled(unit: string, target: string): Tree {
  return { [`/etc/systemd/system/${target}.wants/${unit}`]: link(`/lib/systemd/system/${unit}`) }
}

/** A Debian 12 hypervisor with libvirt-daemon-system installed as packaged and one guest. */
function libvirtHost(): Tree {
  let tree: Tree = {
    ...debianSystem(),
    '/var/lib/dpkg/status': dpkgStatus(
      'libvirt-daemon',
      'libvirt-daemon-system',
      'apparmor',
      'openssh-server',
    ),
    '/etc/libvirt': directory(0o755),
    '/etc/libvirt/libvirtd.conf': file(LIBVIRTD_CONF),
    '/etc/libvirt/qemu.conf': file(QEMU_CONF, 0o600),
    ...Object.fromEntries(
      OTHER_LIBVIRT_CONFS.map((name) => [`/etc/libvirt/${name}`, file(`# ${name}\n`)]),
    ),
    '/etc/libvirt/hooks': directory(0o755),
    '/etc/libvirt/nwfilter': directory(0o755),
    '/etc/libvirt/qemu/networks/autostart': directory(0o755),
    '/etc/libvirt/qemu/web01.xml': file('<domain type="kvm"><name>web01</name></domain>\n', 0o600),
    '/etc/default/libvirtd': file(DEFAULT_LIBVIRTD),
    ...Object.fromEntries(
      Object.entries(LIBVIRT_UNITS).map(([name, unit]) => [`/lib/systemd/system/${name}`, unit]),
    ),
    ...enabled('libvirtd.socket', 'sockets.target'),
    ...enabled('libvirtd-ro.socket', 'sockets.target'),
    ...enabled('libvirtd-admin.socket', 'sockets.target'),
    ...enabled('virtlogd.socket', 'sockets.target'),
    ...enabled('virtlockd.socket', 'sockets.target'),
    '/lib/systemd/system/apparmor.service': unitFile({
      Unit: ['Description=Load AppArmor profiles'],
      Service: ['Type=oneshot', 'ExecStart=/bin/true'],
      Install: ['WantedBy=sysinit.target'],
    }),
    ...enabled('apparmor.service', 'sysinit.target'),
    '/var/lib/libvirt/images': directory(0o711),
    '/var/lib/libvirt/images/web01.qcow2': file('\0'.repeat(4096), 0o600),
  }
  tree = replaceLine(
    tree,
    '/etc/group',
    'docker:x:998:',
    'docker:x:998:\nlibvirt:x:997:alice\nkvm:x:996:libvirt-qemu\nlibvirt-qemu:x:64055:libvirt-qemu',
  )
  return appendLines(
    tree,
    '/etc/passwd',
    'libvirt-qemu:x:64055:64055:Libvirt Qemu,,,:/var/lib/libvirt:/usr/sbin/nologin',
  )
}

const KVM_HOST_BASELINE: Record<string, string> = {
  'libvirtd-rw-socket-access-controlled': 'pass',
  'libvirtd-admin-socket-root-only': 'pass',
  'libvirtd-no-plain-tcp': 'pass',
  'libvirtd-tcp-port-closed': 'not-applicable', // running hosts only
  'libvirtd-tcp-requires-sasl': 'pass',
  'libvirtd-tls-verifies-clients': 'pass',
  'libvirtd-no-remote-listener': 'pass',
  'qemu-security-driver-enabled': 'pass',
  'host-mac-framework-installed': 'pass',
  'qemu-runs-unprivileged': 'pass',
  'qemu-dynamic-ownership': 'pass',
  'qemu-remember-owner': 'pass',
  'qemu-seccomp-sandbox': 'pass',
  'qemu-mount-namespace': 'pass',
  'qemu-no-guest-ram-in-core-dumps': 'pass',
  'qemu-process-names': 'fail', // libvirt's default, set_process_name = 0
  'qemu-vnc-local-only': 'pass',
  'qemu-spice-local-only': 'pass',
  'qemu-vnc-tls-when-remote': 'pass',
  'qemu-spice-tls-when-remote': 'pass',
  'qemu-consoles-not-exposed': 'not-applicable', // running hosts only
  'libvirt-config-protected': 'pass',
  'qemu-conf-private': 'pass',
  'libvirt-hooks-protected': 'pass',
  'libvirt-images-directory-protected': 'pass',
  'libvirt-image-files-private': 'pass',
  'libvirt-group-bounded': 'pass',
  'unprivileged-userfaultfd-off': 'pass',
}

test(
  'kvm-host: libvirt as Debian 12 packages it fails only for QEMU processes without guest names',
  { skip: NEEDS_ROOT },
  async (t) => {
    const assessment = await assess(KVM_HOST, plant(t, libvirtHost()))
    assert.deepEqual(assessment.statuses, KVM_HOST_BASELINE)
    assert.equal(assessment.actual('qemu-process-names'), 'set_process_name unset (default 0)')
  },
)

test(
  'kvm-host: an unauthenticated management socket and plain TCP fail the libvirtd access tests',
  { skip: NEEDS_ROOT },
  async (t) => {
    const conf = '/etc/libvirt/libvirtd.conf'
    const tree: Tree = {
      ...appendLines(
        libvirtHost(),
        conf,
        'auth_unix_rw = "none"',
        'unix_sock_rw_perms = "0777"',
        'listen_tcp = 1',
        'auth_tcp = "none"',
      ),
      ...enabled('libvirtd-tcp.socket', 'sockets.target'),
    }
    const assessment = await assess(KVM_HOST, plant(t, tree))
    assert.deepEqual(
      assessment.statuses,
      failing(
        KVM_HOST_BASELINE,
        'libvirtd-rw-socket-access-controlled',
        'libvirtd-no-plain-tcp',
        'libvirtd-tcp-requires-sasl',
      ),
    )
    const at = (line: string): string => `${conf}:${lineNumber(tree, conf, line)}`
    assert.equal(
      assessment.actual('libvirtd-rw-socket-access-controlled'),
      `none (${at('auth_unix_rw = "none"')}); 0777 (${at('unix_sock_rw_perms = "0777"')}); enabled`,
    )
    assert.equal(assessment.actual('libvirtd-no-plain-tcp'), `1 (${at('listen_tcp = 1')}); enabled`)
    assert.equal(
      assessment.actual('libvirtd-tcp-requires-sasl'),
      `none (${at('auth_tcp = "none"')})`,
    )
  },
)

test(
  'kvm-host: unconfined QEMU running as root with public consoles fails the confinement tests',
  { skip: NEEDS_ROOT },
  async (t) => {
    const conf = '/etc/libvirt/qemu.conf'
    const tree = appendLines(
      libvirtHost(),
      conf,
      'user = "root"',
      'group = "root"',
      'security_driver = "none"',
      'seccomp_sandbox = 0',
      'dynamic_ownership = 0',
      'vnc_listen = "0.0.0.0"',
      'spice_listen = "0.0.0.0"',
      'namespaces = [ ]',
    )
    const assessment = await assess(KVM_HOST, plant(t, tree))
    assert.deepEqual(
      assessment.statuses,
      failing(
        KVM_HOST_BASELINE,
        'qemu-security-driver-enabled',
        'qemu-runs-unprivileged',
        'qemu-dynamic-ownership',
        'qemu-seccomp-sandbox',
        'qemu-mount-namespace',
        'qemu-vnc-local-only',
        'qemu-spice-local-only',
        'qemu-vnc-tls-when-remote',
        'qemu-spice-tls-when-remote',
      ),
    )
    const at = (line: string): string => `${conf}:${lineNumber(tree, conf, line)}`
    assert.equal(
      assessment.actual('qemu-runs-unprivileged'),
      `root (${at('user = "root"')}); root (${at('group = "root"')})`,
    )
    assert.equal(
      assessment.actual('qemu-security-driver-enabled'),
      `none (${at('security_driver = "none"')})`,
    )
    assert.equal(assessment.actual('qemu-mount-namespace'), `[ ] (${at('namespaces = [ ]')})`)
    assert.ok(
      assessment
        .actual('qemu-vnc-local-only')
        .endsWith(`0.0.0.0 (${at('vnc_listen = "0.0.0.0"')})`),
      assessment.actual('qemu-vnc-local-only'),
    )
  },
)

test(
  'kvm-host: loose libvirt files, a writable hook and six libvirt members fail the file tests',
  { skip: NEEDS_ROOT },
  async (t) => {
    let tree = chmod(libvirtHost(), '/var/lib/libvirt/images/web01.qcow2', 0o644)
    tree = chmod(tree, '/var/lib/libvirt/images', 0o755)
    tree = chmod(tree, '/etc/libvirt/qemu.conf', 0o644)
    tree = chmod(tree, '/etc/libvirt/qemu/web01.xml', 0o644)
    tree = withFile(tree, '/etc/libvirt/libvirtd.conf', { uid: 1001, gid: 1001 })
    tree = { ...tree, '/etc/libvirt/hooks/qemu': file('#!/bin/sh\nexit 0\n', 0o777) }
    tree = replaceLine(
      tree,
      '/etc/group',
      'libvirt:x:997:alice',
      'libvirt:x:997:alice,bob,u1,u2,u3,u4',
    )
    const assessment = await assess(KVM_HOST, plant(t, tree))
    assert.deepEqual(
      assessment.statuses,
      failing(
        KVM_HOST_BASELINE,
        'libvirt-config-protected',
        'qemu-conf-private',
        'libvirt-hooks-protected',
        'libvirt-images-directory-protected',
        'libvirt-image-files-private',
        'libvirt-group-bounded',
      ),
    )
    assert.match(
      assessment.actual('libvirt-config-protected'),
      /^1 of \d+ fail: file:\/etc\/libvirt\/libvirtd\.conf \(1001\)$/,
    )
    assert.equal(
      assessment.actual('qemu-conf-private'),
      'mode 0644; 1 of 1 fail: file:/etc/libvirt/qemu/web01.xml (0644)',
    )
    assert.match(
      assessment.actual('libvirt-hooks-protected'),
      /file:\/etc\/libvirt\/hooks\/qemu \(0777\)/,
    )
    assert.equal(assessment.actual('libvirt-images-directory-protected'), 'mode 0755')
    assert.match(
      assessment.actual('libvirt-image-files-private'),
      /file:\/var\/lib\/libvirt\/images\/web01\.qcow2 \(0644\)/,
    )
    assert.equal(assessment.actual('libvirt-group-bounded'), '6 (alice, bob, u1, u2, u3, u4)')
  },
)

test('kvm-host: a system without libvirt is not applicable to any test', async (t) => {
  const assessment = await assess(KVM_HOST, plant(t, administeredHost()))
  assert.deepEqual(
    assessment.statuses,
    Object.fromEntries(Object.keys(KVM_HOST_BASELINE).map((id) => [id, 'not-applicable'])),
  )
  assert.equal(assessment.code, 0)
})

test('kvm-host: the live machine is assessed without an error in any test', async () => {
  const assessment = await assess(KVM_HOST)
  assert.deepEqual(Object.keys(assessment.statuses).sort(), Object.keys(KVM_HOST_BASELINE).sort())
  assert.deepEqual(
    assessment.results
      .filter((result) => result.status === 'error')
      .map((result) => `${result.test}: ${result.actual}`),
    [],
  )
})

// ------------------------------------------------------------------ every shipped policy

test('every shipped policy parses from its YAML, ids matching file names', () => {
  const directory = fileURLToPath(new URL('../policies/', import.meta.url))
  const files = readdirSync(directory).filter((name) => name.endsWith('.yaml'))
  assert.ok(files.includes('vm-config.yaml') && files.includes('vsphere-host.yaml'), String(files))
  for (const name of files) {
    const policy = parsePolicy(readFileSync(join(directory, name), 'utf8'), name)
    assert.equal(`${policy.id}.yaml`, name)
    assert.ok(policy.tests.length > 0, name)
  }
})

test('vm-config and vsphere-host judge hypervisor inventories: on a system every test is not applicable', async (t) => {
  const root = plant(t, debianSystem())
  for (const policy of ['vm-config', 'vsphere-host']) {
    const assessment = await assess(policy, root)
    assert.equal(assessment.code, 0)
    assert.deepEqual([...new Set(Object.values(assessment.statuses))], ['not-applicable'], policy)
  }
})
