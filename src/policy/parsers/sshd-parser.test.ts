import assert from 'node:assert/strict'
import { test } from 'node:test'
import { inMemoryConfigFiles } from './in-memory-config-files.js'
import { sshdParser } from './sshd-parser.js'

const MAIN = '/etc/ssh/sshd_config'

function sshd(files: Record<string, string>) {
  return sshdParser.parse(MAIN, files[MAIN] ?? '', inMemoryConfigFiles(files))
}

const where = (setting: { file: string; line: number } | undefined) =>
  setting === undefined ? undefined : `${setting.file}:${setting.line}`

test('keywords are case-insensitive and the first value sshd obtains wins', () => {
  const parsed = sshd({ [MAIN]: 'PermitRootLogin no\npermitrootlogin yes\nPERMITROOTLOGIN=yes\n' })
  assert.deepEqual(parsed.effective('PermitRootLogin'), {
    key: 'permitrootlogin',
    value: 'no',
    file: MAIN,
    line: 1,
  })
  assert.deepEqual(
    parsed.all('permitrootlogin').map((setting) => setting.value),
    ['no', 'yes', 'yes'],
  )
  assert.equal(parsed.effective('PasswordAuthentication'), undefined)
})

test("Debian 12: a drop-in included at the top wins over the main file's later line", () => {
  const parsed = sshd({
    [MAIN]: [
      '# This is the sshd server system-wide configuration file.',
      'Include /etc/ssh/sshd_config.d/*.conf',
      '',
      '#PermitRootLogin prohibit-password',
      'KbdInteractiveAuthentication no',
      'UsePAM yes',
      'X11Forwarding yes',
      'PrintMotd no',
      'AcceptEnv LANG LC_*',
      'Subsystem\tsftp\t/usr/lib/openssh/sftp-server',
      'PasswordAuthentication yes',
    ].join('\n'),
    '/etc/ssh/sshd_config.d/50-cloud-init.conf': 'PasswordAuthentication no\n',
  })
  assert.equal(parsed.effective('passwordauthentication')?.value, 'no')
  assert.equal(
    where(parsed.effective('passwordauthentication')),
    '/etc/ssh/sshd_config.d/50-cloud-init.conf:1',
  )
  assert.equal(parsed.effective('permitrootlogin'), undefined, 'a commented line sets nothing')
  assert.equal(parsed.effective('subsystem')?.value, 'sftp /usr/lib/openssh/sftp-server')
  assert.deepEqual(parsed.problems, [])
})

test('included files are read in name order, and relative paths resolve under /etc/ssh', () => {
  const parsed = sshd({
    [MAIN]: 'Include sshd_config.d/*.conf\n',
    '/etc/ssh/sshd_config.d/20-site.conf': 'MaxAuthTries 6\n',
    '/etc/ssh/sshd_config.d/10-hardening.conf': 'MaxAuthTries 3\n',
    '/etc/ssh/sshd_config.d/.hidden.conf': 'MaxAuthTries 1\n',
    '/etc/ssh/sshd_config.d/30-notes.txt': 'MaxAuthTries 9\n',
  })
  assert.deepEqual(parsed.all('maxauthtries').map(where), [
    '/etc/ssh/sshd_config.d/10-hardening.conf:1',
    '/etc/ssh/sshd_config.d/20-site.conf:1',
  ])
  assert.equal(parsed.effective('maxauthtries')?.value, '3')
})

test('settings inside a Match block do not apply to a connection that matches no block', () => {
  const parsed = sshd({
    [MAIN]: [
      'PasswordAuthentication no',
      'Match User deploy',
      '  PasswordAuthentication yes',
      '  PermitRootLogin yes',
    ].join('\n'),
  })
  assert.equal(parsed.effective('PasswordAuthentication')?.value, 'no')
  assert.equal(parsed.effective('PermitRootLogin'), undefined)
  assert.equal(parsed.all('PermitRootLogin').length, 1, 'all() still lists the line')
})

test('effectiveFor takes the first value from the Match blocks a connection matches', () => {
  const parsed = sshd({
    [MAIN]: [
      'X11Forwarding no',
      'AllowTcpForwarding yes',
      'Match User alice,bob Address 10.0.0.0/8,!10.9.0.0/16',
      '  X11Forwarding yes',
      'Match Group sftp-only',
      '  ForceCommand internal-sftp',
      '  AllowTcpForwarding no',
      '  X11Forwarding no',
      'Match Host *.EXAMPLE.org LocalPort 2222',
      '  AllowTcpForwarding local',
      'Match User *,!root',
      '  MaxSessions 2',
    ].join('\n'),
  })
  const x11 = (connection: Parameters<typeof parsed.effectiveFor>[1]) =>
    parsed.effectiveFor('X11Forwarding', connection)?.value
  assert.equal(x11({ user: 'alice', address: '10.1.2.3' }), 'yes')
  assert.equal(x11({ user: 'alice', address: '10.9.0.1' }), 'no', 'a negated block is ruled out')
  assert.equal(x11({ user: 'alice' }), 'no', 'an unknown address never matches')
  assert.equal(x11({ user: 'alice', address: '::ffff:10.1.2.3' }), 'yes')
  assert.equal(x11({ user: 'carol', group: ['users', 'sftp-only'] }), 'no')
  assert.equal(
    x11({ user: 'alice', address: '10.1.2.3', group: 'sftp-only' }),
    'yes',
    'the first block that matches and sets the option wins',
  )
  assert.equal(
    parsed.effectiveFor('AllowTcpForwarding', { host: 'build.example.org', localPort: 2222 })
      ?.value,
    'local',
  )
  assert.equal(
    parsed.effectiveFor('AllowTcpForwarding', { host: 'build.example.org', localPort: 22 })?.value,
    'yes',
  )
  assert.equal(parsed.effectiveFor('MaxSessions', { user: 'alice' })?.value, '2')
  assert.equal(parsed.effectiveFor('MaxSessions', { user: 'root' }), undefined)
})

test('a Match block ends with the file it is in; the including file goes on where it was', () => {
  const parsed = sshd({
    [MAIN]: 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n',
    '/etc/ssh/sshd_config.d/10-admins.conf': 'Match Group admins\n  PermitRootLogin yes\n',
  })
  assert.equal(parsed.effective('PermitRootLogin')?.value, 'no')
  assert.equal(where(parsed.effective('PermitRootLogin')), `${MAIN}:2`)
  assert.equal(parsed.effectiveFor('PermitRootLogin', { group: 'admins' })?.value, 'yes')
})

test('an Include inside a Match block applies only to the connections that block matches', () => {
  const parsed = sshd({
    [MAIN]: 'Match User backup\n  Include /etc/ssh/backup.conf\n',
    '/etc/ssh/backup.conf': 'PermitTTY no\nMatch All\nClientAliveInterval 60\n',
  })
  assert.equal(parsed.effective('PermitTTY'), undefined)
  assert.equal(parsed.effective('ClientAliveInterval'), undefined, 'Match All cannot escape')
  assert.equal(parsed.effectiveFor('PermitTTY', { user: 'backup' })?.value, 'no')
  assert.equal(parsed.effectiveFor('ClientAliveInterval', { user: 'backup' })?.value, '60')
})

test('Match All applies to every connection and overrides what came before it', () => {
  const parsed = sshd({
    [MAIN]: [
      'PasswordAuthentication yes',
      'Match User deploy',
      '  PasswordAuthentication no',
      'Match All',
      '  PasswordAuthentication no',
      '  Port 2222',
      '  Banner /etc/issue.net',
    ].join('\n'),
  })
  // sshd re-reads the Match blocks for each connection, Match All included, and what they set
  // replaces the values from start-up: every connection gets "no".
  assert.equal(parsed.effective('PasswordAuthentication')?.value, 'no')
  assert.equal(where(parsed.effective('PasswordAuthentication')), `${MAIN}:5`)
  assert.equal(parsed.effectiveFor('PasswordAuthentication', { user: 'deploy' })?.value, 'no')
  assert.equal(
    where(parsed.effectiveFor('PasswordAuthentication', { user: 'deploy' })),
    `${MAIN}:3`,
  )
  assert.equal(parsed.effective('Port')?.value, '2222', 'a Match All block counts at start-up')
  assert.equal(parsed.effective('Banner')?.value, '/etc/issue.net')
  assert.deepEqual(parsed.problems, [])
})

test('values lose their quotes, keep every word, and end at a comment', () => {
  const parsed = sshd({
    [MAIN]: [
      'Banner "/etc/ssh/site banner"',
      'Ciphers aes256-gcm@openssh.com,aes128-ctr   # FIPS set',
      'AuthorizedKeysFile .ssh/authorized_keys\t.ssh/authorized_keys2',
      "ForceCommand /usr/local/bin/audit --tag 'a b'",
      'LogLevel = VERBOSE',
      'ClientAliveCountMax=0',
      'ChrootDirectory /srv/with\\ space',
    ].join('\n'),
  })
  const value = (key: string) => parsed.effective(key)?.value
  assert.equal(value('banner'), '/etc/ssh/site banner')
  assert.equal(value('ciphers'), 'aes256-gcm@openssh.com,aes128-ctr')
  assert.equal(value('authorizedkeysfile'), '.ssh/authorized_keys .ssh/authorized_keys2')
  assert.equal(value('forcecommand'), '/usr/local/bin/audit --tag a b')
  assert.equal(value('loglevel'), 'VERBOSE')
  assert.equal(value('clientalivecountmax'), '0')
  assert.equal(value('chrootdirectory'), '/srv/with space')
})

test('AllowUsers, DenyUsers, Port and the like add up over lines', () => {
  const parsed = sshd({
    [MAIN]:
      'Port 22\nAllowUsers alice bob\nPort 2222\nAllowUsers carol\nMaxStartups 10:30:60\nMaxStartups 5\n',
  })
  assert.deepEqual(parsed.effective('Port'), { key: 'port', value: '22 2222', file: MAIN, line: 1 })
  assert.equal(parsed.effective('AllowUsers')?.value, 'alice bob carol')
  assert.equal(parsed.effective('MaxStartups')?.value, '5', 'sshd assigns MaxStartups every time')
})

test('an old keyword and its new name set the same option, so the first of either wins', () => {
  const parsed = sshd({
    [MAIN]: 'ChallengeResponseAuthentication no\nKbdInteractiveAuthentication yes\n',
  })
  assert.deepEqual(parsed.effective('KbdInteractiveAuthentication'), {
    key: 'challengeresponseauthentication',
    value: 'no',
    file: MAIN,
    line: 1,
  })
  assert.equal(parsed.effective('challengeresponseauthentication')?.value, 'no')
  assert.equal(parsed.all('kbdinteractiveauthentication').length, 2)
})

test('include loops, includes nested too deep and included files without content are problems; a missing file is not', () => {
  const chain: Record<string, string> = {}
  for (let depth = 1; depth <= 20; depth += 1) {
    chain[`/etc/ssh/deep/${depth}.conf`] =
      `Include /etc/ssh/deep/${depth + 1}.conf\nMaxSessions ${depth}\n`
  }
  const parsed = sshd({
    ...chain,
    [MAIN]:
      'Include /etc/ssh/loop.conf\nInclude /etc/ssh/deep/1.conf\nInclude /etc/ssh/absent.conf\n',
    '/etc/ssh/loop.conf': `Include ${MAIN}\nPermitRootLogin no\n`,
  })
  assert.equal(parsed.effective('PermitRootLogin')?.value, 'no')
  assert.deepEqual(parsed.problems, [
    { path: '/etc/ssh/loop.conf:1', detail: `include loop: ${MAIN} is already being read` },
    { path: '/etc/ssh/deep/16.conf:1', detail: 'includes nested more than 16 deep' },
  ])
  assert.equal(parsed.effective('MaxSessions')?.value, '16', 'sshd reads 16 levels of includes')

  const unkept = sshdParser.parse(MAIN, 'Include /etc/ssh/hashed-only.conf\n', {
    read: () => undefined,
    list: (glob) => (glob === '/etc/ssh/hashed-only.conf' ? [glob] : []),
  })
  assert.deepEqual(unkept.problems, [
    {
      path: `${MAIN}:1`,
      detail: '/etc/ssh/hashed-only.conf is included but its content is not in the snapshot',
    },
  ])
})

test('keywords sshd refuses in a Match block and Match lines it rejects are problems', () => {
  const parsed = sshd({
    [MAIN]: [
      'Match User alice',
      '  Port 2200',
      'Match Adress 10.0.0.1',
      '  PermitRootLogin yes',
      'Match Address 10.0.0.1/8',
      'Match All User bob',
      'Match User',
      'PermitRootLogin',
      'Banner "/etc/issue',
      'Match',
      'PermitTunnel yes',
    ].join('\n'),
  })
  assert.deepEqual(parsed.problems, [
    { path: `${MAIN}:2`, detail: 'port is not allowed in a Match block: sshd refuses to start' },
    { path: `${MAIN}:3`, detail: 'a Match criterion sshd does not support' },
    {
      path: `${MAIN}:5`,
      detail: 'a Match address list sshd rejects (empty entry, bad prefix, host bits set)',
    },
    { path: `${MAIN}:6`, detail: '"Match All" cannot be combined with other criteria' },
    { path: `${MAIN}:7`, detail: 'a Match criterion has no pattern' },
    { path: `${MAIN}:8`, detail: 'no argument after the keyword' },
    { path: `${MAIN}:9`, detail: 'a quote is not closed' },
    { path: `${MAIN}:10`, detail: 'no argument after the keyword' },
  ])
  assert.equal(parsed.effective('PermitTunnel'), undefined, 'a bare Match still opens a block')
  assert.equal(parsed.effectiveFor('PermitRootLogin', { address: '10.0.0.1' }), undefined)
  assert.equal(parsed.effectiveFor('Port', { user: 'alice' }), undefined)
})
