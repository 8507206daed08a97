// The rules used when no rules file is given: one set for a live Linux host, one for a root
// filesystem in a directory (the whole root). docs/rules.md shows them as YAML.
import { SYSTEM_COLLECTORS } from '../system/system-collector.js'
import { fileRule, type FileRules } from './file-rules.js'

// The secrets in secret-paths.ts are never kept whatever the rules say: no contentExclude needed.

const CONFIG_CONTENT = ['/etc/**', '/root/.ssh/authorized_keys', '/var/spool/cron/**']

export const LIVE_HOST_RULES: FileRules = {
  version: 1,
  collect: SYSTEM_COLLECTORS,
  oneFilesystem: true,
  contentMaxBytes: 65536,
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
  contentExclude: [],
  rules: [
    fileRule({ path: '/etc', content: CONFIG_CONTENT }),
    fileRule({ path: '/boot' }),
    fileRule({ path: '/bin' }),
    fileRule({ path: '/sbin' }),
    fileRule({ path: '/lib' }),
    fileRule({ path: '/lib64' }),
    fileRule({ path: '/usr' }),
    fileRule({ path: '/opt' }),
    fileRule({ path: '/root', content: CONFIG_CONTENT }),
    fileRule({ path: '/var/spool/cron', content: CONFIG_CONTENT }),
  ],
}

export const WHOLE_ROOT_RULES: FileRules = {
  version: 1,
  collect: SYSTEM_COLLECTORS,
  oneFilesystem: true,
  contentMaxBytes: 65536,
  exclude: ['/proc/*', '/sys/*', '/run/*', '/tmp/*', '/var/tmp/*', '/var/cache/apt/archives/*.deb'],
  contentExclude: [],
  rules: [fileRule({ path: '/', content: CONFIG_CONTENT })],
}
