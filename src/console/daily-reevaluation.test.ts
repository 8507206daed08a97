import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { consoleHarness, testConsoleContext } from '../../test/support/console-harness.js'
import { freshStore, STORE_KINDS } from '../../test/support/fleet-stores.js'
import { requestDailyReevaluation } from './daily-reevaluation.js'

describe('the daily re-evaluation', () => {
  for (const kind of STORE_KINDS) {
    test(`on ${kind}: one of two consoles sharing a database takes each day's turn`, async (t) => {
      const store = await freshStore(t, kind)
      let clock = new Date('2026-11-27T03:00:00Z')
      const context = { ...(await testConsoleContext(store)), now: () => clock }
      const requested: string[] = []
      context.reevaluation.request = (reason: string) => void requested.push(reason)
      assert.equal(await requestDailyReevaluation(context, 'console A'), true)
      clock = new Date('2026-11-27T09:00:00Z')
      assert.equal(await requestDailyReevaluation(context, 'console B'), false)
      assert.deepEqual(requested, ['daily'])
      // The next day, whoever's timer fires first takes it.
      clock = new Date('2026-11-28T03:00:00Z')
      assert.equal(await requestDailyReevaluation(context, 'console B'), true)
      assert.deepEqual(requested, ['daily', 'daily'])
    })

    test(`on ${kind}: its lease is no ticket source`, async (t) => {
      const h = await consoleHarness(t, kind)
      assert.equal(await requestDailyReevaluation(h.context, 'console A'), true)
      assert.ok((await h.store.pollerStatuses()).some((s) => s.name === 'reevaluation:daily'))
      const sources = await h.call('GET', '/api/v1/tickets/sources', { token: h.tokens.auditor })
      assert.deepEqual(sources.body, [])
    })
  }
})
