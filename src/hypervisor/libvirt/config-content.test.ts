import assert from 'node:assert/strict'
import { test } from 'node:test'
import { contentSha256, redactedConfig } from './config-content.js'

test('replaces every password, in single or double quotes, and keeps the rest as libvirt wrote it', () => {
  const xml = `<domain type='kvm' id='7'>
  <name>db</name>   
  <graphics type='vnc' port='-1' passwd='s3cret' passwdValidTo='2030-01-01T00:00:00'/>
  <graphics type="spice" passwd="other"/>
</domain>`
  const content = redactedConfig(xml)
  assert.doesNotMatch(content, /s3cret|other/)
  assert.equal(
    content,
    `<domain type='kvm'>
  <name>db</name>
  <graphics type='vnc' port='-1' passwd='(redacted)' passwdValidTo='2030-01-01T00:00:00'/>
  <graphics type="spice" passwd="(redacted)"/>
</domain>
`,
  )
})

test('a changed password leaves the content and its digest as they were', () => {
  const before = redactedConfig(`<domain><graphics type='vnc' passwd='one'/></domain>`)
  const after = redactedConfig(`<domain><graphics type='vnc' passwd='two'/></domain>`)
  assert.equal(contentSha256(before), contentSha256(after))
})
