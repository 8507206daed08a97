import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { testConsoleContext } from '../../test/support/console-harness.js'
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
      // Not a ticket source: the ticket systems' status list leaves it out.
      assert.ok((await store.pollerStatuses()).some((s) => s.name === 'reevaluation:daily'))
    })
  }
})
