// The rules used when no rules file is given: one set for a live Linux host, one for a root
// filesystem in a directory (the whole root). docs/rules.md shows them as YAML.
import { fileRulesSchema, type FileRules } from './file-rules.js'

/** Content never kept: password hashes, private keys. */
export const SECRET_PATHS = [
  '/etc/shadow',
  '/etc/shadow-',
  '/etc/gshadow',
  '/etc/gshadow-',
  '/etc/security/opasswd',
  '/etc/ssh/ssh_host_*_key',
  '/etc/ssl/private/**',
  '**/*.key',
  '**/*.pem',
  '**/.ssh/id_*',
]

const CONFIG_CONTENT = ['/etc/**', '/root/.ssh/authorized_keys', '/var/spool/cron/**']

export const LIVE_HOST_RULES: FileRules = fileRulesSchema.parse({
  oneFilesystem: true,
  exclude: [
    '/etc/mtab',
    '/etc/ld.so.cache',
    '/etc/adjtime',
    '**/*.swp',
    '**/__pycache__',
    '/root/.cache',
    '/root/.npm',
    '/root/.bash_history',
    '/root/.lesshst',
    '/root/.viminfo',
  ],
  contentExclude: SECRET_PATHS,
  rules: [
    { path: '/etc', content: CONFIG_CONTENT },
    { path: '/boot' },
    { path: '/bin' },
    { path: '/sbin' },
    { path: '/lib' },
    { path: '/lib64' },
    { path: '/usr' },
    { path: '/opt' },
    { path: '/root', content: CONFIG_CONTENT },
    { path: '/var/spool/cron', content: CONFIG_CONTENT },
  ],
})

export const WHOLE_ROOT_RULES: FileRules = fileRulesSchema.parse({
  oneFilesystem: true,
  exclude: ['/proc/*', '/sys/*', '/run/*', '/tmp/*', '/var/tmp/*', '/var/cache/apt/archives/*.deb'],
  contentExclude: SECRET_PATHS,
  rules: [{ path: '/', content: CONFIG_CONTENT }],
})
