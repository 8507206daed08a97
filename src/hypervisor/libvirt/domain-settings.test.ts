import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readDomainSettings } from './domain-settings.js'
import { LibvirtXmlError } from './libvirt-xml.js'

// As `virsh dumpxml --inactive --security-info` writes it (libvirt 9, abridged).
const WEB = `<domain type='kvm'>
  <name>web-01</name>
  <uuid>11111111-2222-3333-4444-555555555501</uuid>
  <memory unit='GiB'>1</memory>
  <currentMemory unit='KiB'>524288</currentMemory>
  <vcpu placement='static' current='2'>4</vcpu>
  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><source file='/var/lib/libvirt/images/web-01.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <disk type='file' device='cdrom'><target dev='sda' bus='sata'/><readonly/></disk>
    <disk type='network' device='disk'><source protocol='rbd' name='pool/img'><host name='ceph1'/><host name='ceph2'/></source><target dev='vdb'/></disk>
    <disk type='volume' device='disk'><source pool='images' volume='data.raw'/><target dev='vdc'/></disk>
    <interface type='network'><mac address='52:54:00:AA:00:01'/><source network='default'/></interface>
    <interface type='bridge'><mac address='52:54:00:aa:00:02'/><source bridge='br0'/></interface>
    <graphics type='vnc' port='-1' autoport='yes' listen='0.0.0.0'><listen type='address' address='0.0.0.0'/></graphics>
    <graphics type='spice' autoport='yes' passwd='s3cret'><listen type='network' network='mgmt'/></graphics>
    <hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x06' slot='0x12' function='0x5'/></source></hostdev>
    <hostdev mode='subsystem' type='usb'><source><vendor id='0x046d'/><product id='0xc077'/></source></hostdev>
  </devices>
  <seclabel type='none'/>
</domain>
`

test('reads CPUs, memory in KiB whatever the unit, disks with their sources, NICs with MACs', () => {
  const settings = readDomainSettings(WEB)
  assert.equal(settings.name, 'web-01')
  assert.equal(settings.uuid, '11111111-2222-3333-4444-555555555501')
  assert.equal(settings.type, 'kvm')
  assert.equal(settings.arch, 'x86_64')
  assert.equal(settings.vcpus, 4)
  assert.equal(settings.vcpusCurrent, 2)
  assert.equal(settings.memoryKib, 1048576)
  assert.equal(settings.currentMemoryKib, 524288)
  assert.deepEqual(settings.disks, [
    'sda:cdrom=',
    'vda:disk=/var/lib/libvirt/images/web-01.qcow2',
    'vdb:disk=rbd://ceph1+ceph2/pool/img',
    'vdc:disk=images/data.raw',
  ])
  assert.deepEqual(settings.nics, [
    '52:54:00:aa:00:01=network:default',
    '52:54:00:aa:00:02=bridge:br0',
  ])
  assert.deepEqual(settings.macs, ['52:54:00:aa:00:01', '52:54:00:aa:00:02'])
})

test('a console without a password makes graphics_password false; listen addresses are all named', () => {
  const settings = readDomainSettings(WEB)
  assert.deepEqual(settings.graphics, ['spice', 'vnc'])
  assert.deepEqual(settings.graphicsListen, ['0.0.0.0', 'network:mgmt'])
  assert.equal(settings.graphicsPassword, false)
})

test('host devices and an explicitly disabled security label', () => {
  const settings = readDomainSettings(WEB)
  assert.deepEqual(settings.hostdevs, ['pci:0000:06:12.5', 'usb:0x046d:0xc077'])
  assert.deepEqual(settings.seclabels, ['none'])
})

test('a domain without consoles, label or devices has empty lists and a null password', () => {
  const settings = readDomainSettings(
    `<domain type='test'><name>bare</name><uuid>11111111-2222-3333-4444-555555555509</uuid><memory>2048</memory><vcpu>1</vcpu></domain>`,
  )
  assert.equal(settings.memoryKib, 2048, 'memory without a unit is in KiB')
  assert.equal(settings.vcpusCurrent, 1)
  assert.equal(settings.graphicsPassword, null)
  assert.deepEqual(settings.seclabels, [])
  assert.deepEqual([settings.disks, settings.nics, settings.hostdevs], [[], [], []])
})

test('every console with a password, listening on the legacy attribute only', () => {
  const settings = readDomainSettings(
    `<domain type='kvm'><name>db</name><uuid>11111111-2222-3333-4444-555555555502</uuid>
      <devices><graphics type='vnc' listen='127.0.0.1' passwd='x'/></devices>
      <seclabel type='dynamic' model='selinux' relabel='yes'/></domain>`,
  )
  assert.equal(settings.graphicsPassword, true)
  assert.deepEqual(settings.graphicsListen, ['127.0.0.1'])
  assert.deepEqual(settings.seclabels, ['selinux:dynamic'])
})

test('malformed XML, a DOCTYPE, a missing name or UUID are refused with the reason', () => {
  assert.throws(() => readDomainSettings('<domain><name>x</name>'), LibvirtXmlError)
  assert.throws(
    () => readDomainSettings('<!DOCTYPE d [<!ENTITY a "aaaa">]><domain><name>&a;</name></domain>'),
    /DOCTYPE/,
  )
  assert.throws(() => readDomainSettings('<network><name>x</name></network>'), /no <domain>/)
  assert.throws(
    () => readDomainSettings('<domain><uuid>11111111-2222-3333-4444-555555555502</uuid></domain>'),
    /no <name>/,
  )
  assert.throws(
    () => readDomainSettings('<domain><name>x</name><uuid>nope</uuid></domain>'),
    /uuid/,
  )
})
