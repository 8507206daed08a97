// Package provenance through the API: a file holding what its upgraded package records is
// explained by the update; a file that holds anything else stays unauthorized.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import { changesByKey, element, enrollAgent, push } from './support/agent-pushes.js'
import { consoleHarness } from './support/console-harness.js'
import { STORE_KINDS } from './support/fleet-stores.js'

const md5 = (text: string): string => createHash('md5').update(text).digest('hex')

function installed(name: string, version: string): Record<string, unknown> {
  return {
    key: `package:${name}`,
    attributes: JSON.stringify({ manager: 'dpkg', version, architecture: 'amd64' }),
  }
}

function record(
  path: string,
  packageKey: string,
  version: string,
  recorded: string,
  observed: string,
) {
  return { path, packageKey, version, algorithm: 'md5', recorded, observed }
}

describe('package provenance', () => {
  for (const kind of STORE_KINDS) {
    test(`on ${kind}: an upgrade's files are explained, a hand-edited binary is not, and a bad record stores nothing`, async (t) => {
      const h = await consoleHarness(t, kind)
      const { nodeId, credential } = await enrollAgent(h)
      const send = (body: unknown) =>
        h.call('POST', '/api/v1/agents/snapshots', { token: credential, body })
      const baseline = await send(
        push(1, [
          element('/usr/bin/curl', 'curl 7', '0755'),
          element('/usr/bin/ls', 'ls 9.1', '0755'),
          installed('coreutils', '9.1-1'),
          installed('curl', '7.88.1-10+deb12u7'),
        ]),
      )
      assert.equal(baseline.status, 200)
      const changed = [
        element('/usr/bin/curl', 'curl 8', '0755'),
        element('/usr/bin/ls', 'ls with a backdoor', '0755'),
        installed('curl', '7.88.1-10+deb12u8'),
      ]

      const hostile = {
        ...push(2, changed, 1),
        provenance: [record('/etc/shadow', 'package:passwd', '1', md5('x'), md5('x'))],
      }
      const refused = await send(hostile)
      assert.equal(refused.status, 400)
      assert.match(
        refused.body.detail,
        /body\.provenance\.0\.path: "\/etc\/shadow" is not a file the snapshot sends/,
      )
      assert.deepEqual(await changesByKey(h, nodeId), {}, 'a refused push records no change')

      const pushed = await send({
        ...push(2, changed, 1),
        provenance: [
          record(
            '/usr/bin/curl',
            'package:curl',
            '7.88.1-10+deb12u8',
            md5('curl 8'),
            md5('curl 8'),
          ),
          record(
            '/usr/bin/ls',
            'package:coreutils',
            '9.1-1',
            md5('ls 9.1'),
            md5('ls with a backdoor'),
          ),
        ],
      })
      assert.equal(pushed.status, 200, JSON.stringify(pushed.body))
      const verdicts = await changesByKey(h, nodeId)
      assert.equal(verdicts['file:/usr/bin/curl'].verdict, 'explained')
      assert.match(
        verdicts['file:/usr/bin/curl'].verdictReason,
        /explained by package update package:curl 7\.88\.1-10\+deb12u7 → 7\.88\.1-10\+deb12u8/,
      )
      assert.equal(verdicts['file:/usr/bin/ls'].verdict, 'unauthorized')
      assert.match(verdicts['file:/usr/bin/ls'].verdictReason, /package:coreutils stayed at 9\.1-1/)
      // The upgrade itself is a change like any other: no ticket names it.
      assert.equal(verdicts['package:curl'].verdict, 'unauthorized')

      // A ticket saved later judges the window again; the explained change stays explained.
      const hour = 3_600_000
      const saved = await h.call('PUT', '/api/v1/tickets', {
        token: h.tokens.operator,
        body: {
          id: 'CHG-7',
          title: 'patch curl',
          state: 'approved',
          approver: 'carol',
          approvedAt: new Date(Date.now() - hour).toISOString(),
          window: {
            start: new Date(Date.now() - hour).toISOString(),
            end: new Date(Date.now() + hour).toISOString(),
          },
          scope: { nodes: ['name:web-01'], elements: ['package:curl'] },
        },
      })
      assert.equal(saved.status, 200)
      const after = await changesByKey(h, nodeId)
      assert.equal(after['package:curl'].verdict, 'authorized')
      assert.equal(after['file:/usr/bin/curl'].verdict, 'explained')
      assert.equal(after['file:/usr/bin/ls'].verdict, 'unauthorized')
    })
  }
})
