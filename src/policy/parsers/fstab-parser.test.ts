import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fstabParser } from './fstab-parser.js'
import { inMemoryConfigFiles } from './in-memory-config-files.js'

const NO_FILES = inMemoryConfigFiles({})
const fstab = (text: string) => fstabParser.parse('/etc/fstab', text, NO_FILES)

const DEBIAN_FSTAB = `# /etc/fstab: static file system information.
#
# <file system> <mount point>   <type>  <options>       <dump>  <pass>
UUID=3f1c2b9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b /               ext4    errors=remount-ro 0       1
UUID=7a8b9c0d-1e2f-3a4b-5c6d-7e8f9a0b1c2d /boot/efi       vfat    umask=0077      0       1
/dev/mapper/vg0-home /home/          ext4    defaults,nodev  0       2
tmpfs           /tmp            tmpfs   defaults,nodev,nosuid,noexec,mode=1777,size=2G 0 0
/dev/sr0        /media/cdrom0   udf,iso9660 user,noauto     0       0
UUID=0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d none            swap    sw              0       0
`

test('Debian fstab: each mount point has its options, type, device and one key per option', () => {
  const parsed = fstab(DEBIAN_FSTAB)
  assert.deepEqual(parsed.effective('/tmp'), {
    key: '/tmp',
    value: 'defaults,nodev,nosuid,noexec,mode=1777,size=2G',
    file: '/etc/fstab',
    line: 7,
  })
  assert.equal(parsed.effective('/tmp:nodev')?.value, 'true')
  assert.equal(parsed.effective('/tmp:mode')?.value, '1777')
  assert.equal(parsed.effective('/tmp:fstype')?.value, 'tmpfs')
  assert.equal(parsed.effective('/tmp:device')?.value, 'tmpfs')
  assert.equal(parsed.effective('/home:nodev')?.value, 'true', 'a trailing slash is dropped')
  assert.equal(parsed.effective('/:errors')?.value, 'remount-ro')
  assert.equal(parsed.effective('/media/cdrom0:fstype')?.value, 'udf,iso9660')
  assert.equal(parsed.effective('/home:nosuid'), undefined)
  assert.equal(
    parsed.effective('swap:UUID=0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d:sw')?.value,
    'true',
    'swap areas have no mount point and are keyed by device',
  )
  assert.deepEqual(parsed.problems, [])
})

test('the last line for a mount point wins, whole: options of an earlier line do not linger', () => {
  const parsed = fstab(
    'tmpfs /tmp tmpfs nodev,nosuid,noexec 0 0\n/dev/sdb1 /tmp ext4 defaults 0 2\n',
  )
  assert.equal(parsed.effective('/tmp')?.value, 'defaults')
  assert.equal(parsed.effective('/tmp:device')?.value, '/dev/sdb1')
  assert.equal(parsed.effective('/tmp:nodev'), undefined)
  assert.deepEqual(
    parsed.all('/tmp:nodev').map(({ line }) => line),
    [1],
  )
})

test('of two options that undo each other, the one written later is in force', () => {
  const parsed = fstab('/dev/sdc1 /srv ext4 nodev,nosuid,dev,rw,ro 0 2\n')
  assert.equal(parsed.effective('/srv:nodev'), undefined)
  assert.equal(parsed.effective('/srv:dev')?.value, 'true')
  assert.equal(parsed.effective('/srv:nosuid')?.value, 'true')
  assert.equal(parsed.effective('/srv:rw'), undefined)
  assert.equal(parsed.effective('/srv:ro')?.value, 'true')
  assert.equal(parsed.all('/srv:nodev').length, 1, 'all() still shows what was written')
})

test('octal escapes are decoded and quoted option values keep their commas', () => {
  const parsed = fstab(
    '/dev/sdd1 /srv/my\\040data xfs context="system_u:object_r:tmp_t:s0:c127,c456",noexec 0 0\n',
  )
  assert.equal(
    parsed.effective('/srv/my data:context')?.value,
    'system_u:object_r:tmp_t:s0:c127,c456',
  )
  assert.equal(parsed.effective('/srv/my data:noexec')?.value, 'true')
  assert.equal(
    fstab('/dev/sdb1 /mnt/a\\012b ext4 defaults 0 0\n').effective('/mnt/a\\x0ab:fstype')?.value,
    'ext4',
    'a newline in a mount point cannot break a report line',
  )
})

test('missing fields take mount defaults; malformed lines are problems', () => {
  const parsed = fstab(
    'proc /proc proc\n/dev/sda1 /\n/dev/sda1 / ext4 defaults 0 1 extra\n/dev/sda1 / ext4 defaults zero 1\n',
  )
  assert.equal(parsed.effective('/proc')?.value, 'defaults')
  assert.deepEqual(parsed.problems, [
    { path: '/etc/fstab:2', detail: '2 fields; an fstab line has 3 to 6' },
    { path: '/etc/fstab:3', detail: '7 fields; an fstab line has 3 to 6' },
    { path: '/etc/fstab:4', detail: 'dump and pass must be numbers' },
  ])
  assert.equal(parsed.effective('/'), undefined)
})
