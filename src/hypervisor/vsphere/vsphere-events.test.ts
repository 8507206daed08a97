import { test } from 'node:test'
import assert from 'node:assert/strict'
import { child, parseSoapAnswer, type XmlNode } from './soap-xml.js'
import { lifecycleEvent } from './vsphere-events.js'

function eventNode(type: string, members: string): XmlNode {
  const answer = parseSoapAnswer(
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      `<soapenv:Body><ReadNextEventsResponse><returnval xsi:type="${type}"><key>7</key>` +
      '<createdTime>2025-03-01T10:00:00.123456Z</createdTime><userName>VSPHERE.LOCAL\\ops</userName>' +
      '<vm><name>web-01</name><vm type="VirtualMachine">vm-42</vm></vm>' +
      `${members}<fullFormattedMessage>said</fullFormattedMessage></returnval></ReadNextEventsResponse></soapenv:Body></soapenv:Envelope>`,
    'ReadNextEvents',
  )
  assert.equal(answer.kind, 'result')
  return answer.kind === 'result' ? (child(answer.response, 'returnval') ?? {}) : {}
}

const uuids = new Map([['vm-42', '5012abcd-0000-0000-0000-000000000042']])

test('maps a power-on event with its user, key, time and message', () => {
  assert.deepEqual(lifecycleEvent(eventNode('VmPoweredOnEvent', ''), uuids), {
    at: '2025-03-01T10:00:00.123Z',
    verb: 'started',
    vmUuid: '5012abcd-0000-0000-0000-000000000042',
    vmName: 'web-01',
    user: 'VSPHERE.LOCAL\\ops',
    eventId: '7',
    message: 'said',
  })
})

test('maps every lifecycle event type to its verb and leaves the rest out', () => {
  const verbs: [string, string | undefined][] = [
    ['VmPoweredOffEvent', 'stopped'],
    ['DrsVmPoweredOnEvent', 'started'],
    ['VmSuspendedEvent', 'paused'],
    ['VmClonedEvent', 'created'],
    ['VmDeployedEvent', 'created'],
    ['VmRegisteredEvent', 'created'],
    ['VmRemovedEvent', 'deleted'],
    ['VmReconfiguredEvent', 'reconfigured'],
    ['DrsVmMigratedEvent', 'migrated'],
    ['VmRelocatedEvent', 'migrated'],
    ['VmRenamedEvent', 'renamed'],
    ['VmGuestRebootEvent', undefined],
    ['UserLoginSessionEvent', undefined],
  ]
  for (const [type, verb] of verbs) {
    assert.equal(lifecycleEvent(eventNode(type, ''), uuids)?.verb, verb, type)
  }
})

test('a revert to a snapshot is the extended event vCenter records for it', () => {
  const reverted = eventNode(
    'EventEx',
    '<eventTypeId>com.vmware.vc.vm.VmStateRevertedToSnapshot</eventTypeId>',
  )
  assert.equal(lifecycleEvent(reverted, uuids)?.verb, 'snapshot-reverted')
  const other = eventNode('EventEx', '<eventTypeId>com.vmware.vc.HA.SomethingElse</eventTypeId>')
  assert.equal(lifecycleEvent(other, uuids), undefined)
})

test('a rename is reported under the new name; an unknown VM has no UUID', () => {
  const renamed = lifecycleEvent(
    eventNode('VmRenamedEvent', '<oldName>web-01</oldName><newName>web-02</newName>'),
    new Map(),
  )
  assert.equal(renamed?.vmName, 'web-02')
  assert.equal(renamed?.vmUuid, null)
})
