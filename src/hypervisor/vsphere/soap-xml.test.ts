import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  MalformedSoapError,
  child,
  childText,
  children,
  element,
  parseSoapAnswer,
  readReference,
  soapEnvelope,
} from './soap-xml.js'
import { canonicalJson, readOptionValues } from './vim-values.js'

const envelope = (body: string): string =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
  `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`

test('writes requests in the given order with escaped text, xsi:type and reference types', () => {
  const xml = soapEnvelope('Login', [
    element('_this', 'SessionManager', { type: 'SessionManager' }),
    element('userName', 'a&b<c>'),
    element('password', '"quoted"'),
    element('value', 5, { xsiType: 'xsd:int' }),
    undefined,
  ])
  assert.match(
    xml,
    /<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager<\/_this><userName>a&amp;b&lt;c&gt;<\/userName><password>&quot;quoted&quot;<\/password><value xsi:type="xsd:int">5<\/value><\/Login>/,
  )
})

test('reads a result with references, lists and decoded characters', () => {
  const answer = parseSoapAnswer(
    envelope(
      '<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval>' +
        '<rootFolder type="Folder">group-d1</rootFolder><name>caf&#233; &amp; co</name>' +
        '<item>1</item><item>2</item></returnval></RetrieveServiceContentResponse>',
    ),
    'RetrieveServiceContent',
  )
  assert.equal(answer.kind, 'result')
  if (answer.kind !== 'result') return
  const content = child(answer.response, 'returnval')
  assert.deepEqual(readReference(child(content, 'rootFolder')), {
    type: 'Folder',
    value: 'group-d1',
  })
  assert.equal(childText(content, 'name'), 'café & co')
  assert.deepEqual(
    children(content, 'item').map((item) => item['#text']),
    ['1', '2'],
  )
})

test('reads a fault by its vim25 type', () => {
  const answer = parseSoapAnswer(
    envelope(
      '<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Cannot complete login due to an incorrect user name or password.</faultstring>' +
        '<detail><InvalidLoginFault xmlns="urn:vim25" xsi:type="InvalidLogin"></InvalidLoginFault></detail></soapenv:Fault>',
    ),
    'Login',
  )
  assert.deepEqual(answer, {
    kind: 'fault',
    fault: {
      faultType: 'InvalidLogin',
      message: 'Cannot complete login due to an incorrect user name or password.',
    },
  })
})

test('refuses what is not a SOAP answer: broken XML, a document type, another method, no envelope', () => {
  const cases: [string, RegExp][] = [
    [envelope('<LoginResponse><returnval></LoginResponse>'), /not well-formed XML at line 1/],
    ['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>', /document type/],
    [envelope('<LogoutResponse/>'), /no LoginResponse/],
    ['<html><body>502 Bad Gateway</body></html>', /no SOAP Envelope\/Body/],
  ]
  for (const [xml, message] of cases) {
    assert.throws(
      () => parseSoapAnswer(xml, 'Login'),
      (error: Error) => {
        assert.ok(error instanceof MalformedSoapError)
        assert.match(error.message, message)
        return true
      },
    )
  }
})

test('types OptionValue values by xsi:type, keeping longs beyond 2^53 as text', () => {
  const answer = parseSoapAnswer(
    envelope(
      '<RResponse xmlns="urn:vim25"><returnval>' +
        '<OptionValue><key>a</key><value xsi:type="xsd:int">900</value></OptionValue>' +
        '<OptionValue><key>b</key><value xsi:type="xsd:boolean">true</value></OptionValue>' +
        '<OptionValue><key>c</key><value xsi:type="xsd:string">0010</value></OptionValue>' +
        '<OptionValue><key>d</key><value xsi:type="xsd:long">18446744073709551615</value></OptionValue>' +
        '<OptionValue><key>e</key></OptionValue>' +
        '</returnval></RResponse>',
    ),
    'R',
  )
  assert.equal(answer.kind, 'result')
  if (answer.kind !== 'result') return
  assert.deepEqual(readOptionValues(children(child(answer.response, 'returnval'), 'OptionValue')), [
    { key: 'a', value: 900 },
    { key: 'b', value: true },
    { key: 'c', value: '0010' },
    { key: 'd', value: '18446744073709551615' },
    { key: 'e', value: null },
  ])
})

test('canonical configuration JSON sorts members, keeps device types and drops edit bookkeeping', () => {
  const read = (members: string): string => {
    const answer = parseSoapAnswer(envelope(`<RResponse><returnval>${members}</returnval></RResponse>`), 'R')
    assert.equal(answer.kind, 'result')
    return canonicalJson(
      answer.kind === 'result' ? (child(answer.response, 'returnval') ?? {}) : {},
    )
  }
  const one = read(
    '<name>web</name><changeVersion>1</changeVersion><modified>2025-01-01T00:00:00Z</modified>' +
      '<hardware><memoryMB>64</memoryMB><device xsi:type="VirtualVmxnet3"><key>4000</key></device></hardware>',
  )
  const other = read(
    '<hardware><device xsi:type="VirtualVmxnet3"><key>4000</key></device><memoryMB>64</memoryMB></hardware>' +
      '<modified>2025-02-02T00:00:00Z</modified><changeVersion>2</changeVersion><name>web</name>',
  )
  assert.equal(one, other)
  assert.deepEqual(JSON.parse(one), {
    hardware: { device: [{ '@type': 'VirtualVmxnet3', key: '4000' }], memoryMB: '64' },
    name: 'web',
  })
})
