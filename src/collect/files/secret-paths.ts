// Content that is never kept, whatever a rules file says: password hashes and private keys stay
// out of the database (a rules file's contentExclude adds to this list, it cannot shorten it).

export const SECRET_PATHS: readonly string[] = [
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
  '**/*.p12',
  '**/*.pfx',
  '**/*.keytab',
  '/etc/krb5.keytab',
  '/root/.gnupg/**',
]
