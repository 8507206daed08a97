// The console's schedule: a hypervisor is collected when its interval has passed, by one console
// at a time; a failed collection is recorded and tried again on the next interval.
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { HypervisorSchedule } from '../src/console/hypervisor-schedule.js'
import { testConsoleContext } from './support/console-harness.js'
import { freshStore, STORE_KINDS } from './support/fleet-stores.js'
import { libvirtAvailable } from './support/libvirt-daemon.js'
import { tempDir } from './support/temp-tree.js'
import { testDomainXml } from './support/test-domain.js'

const SKIP = libvirtAvailable() ? false : 'virsh is not installed (scripts/ensure-libvirt.sh)'
const QUIET = { info: () => undefined, warn: () => undefined }

describe('the hypervisor schedule', { skip: SKIP }, () => {
  for (const kind of STORE_KINDS) {
    test(`on ${kind}: due hypervisors are collected once per interval, by one console at a time; a failure is recorded`, async (t) => {
      const store = await freshStore(t, kind)
      const node = join(tempDir(t), 'node.xml')
      writeFileSync(
        node,
        `<node>${testDomainXml({ name: 'app-01', uuid: '44444444-0000-0000-0000-000000000001', memoryMib: 256 })}</node>`,
      )
      let clock = new Date('2026-11-27T10:00:00Z')
      const context = { ...(await testConsoleContext(store)), now: () => clock }
      const first = new HypervisorSchedule(
        () => context,
        'console A',
        () => QUIET,
      )
      const second = new HypervisorSchedule(
        () => context,
        'console B',
        () => QUIET,
      )
      const good = await store.addHypervisor(
        { spec: `libvirt:test://${node}`, name: 'lab', intervalSeconds: 600, tags: [] },
        'admin',
        clock.toISOString(),
      )
      const bad = await store.addHypervisor(
        {
          spec: `libvirt:test://${join(tempDir(t), 'missing.xml')}`,
          name: 'gone',
          intervalSeconds: 600,
          tags: [],
        },
        'admin',
        clock.toISOString(),
      )
      // No vSphere credentials in this console's environment: it cannot even open the connector.
      const saved = process.env['DRIFTWATCH_VSPHERE_USER']
      delete process.env['DRIFTWATCH_VSPHERE_USER']
      t.after(() => {
        if (saved !== undefined) process.env['DRIFTWATCH_VSPHERE_USER'] = saved
      })
      const unopenable = await store.addHypervisor(
        { spec: 'vsphere:https://127.0.0.1:9/sdk', name: 'vc', intervalSeconds: 600, tags: [] },
        'admin',
        clock.toISOString(),
      )
      const collections = async (): Promise<Record<string, string | null>> =>
        Object.fromEntries(
          (await store.pollerStatuses()).map((status) => [status.name, status.lastPollAt]),
        )

      await first.collectDue()
      const afterFirst = await collections()
      assert.equal(afterFirst[`hypervisor:${good.id}`], clock.toISOString())
      const failed = (await store.pollerStatuses()).find((s) => s.name === `hypervisor:${bad.id}`)
      assert.equal(failed?.failures, 1)
      assert.match(failed?.lastError ?? '', /missing\.xml/)
      assert.equal((await store.listNodes({ kind: 'vm' })).length, 1)
      const noCredentials = (await store.pollerStatuses()).find(
        (s) => s.name === `hypervisor:${unopenable.id}`,
      )
      assert.equal(noCredentials?.failures, 1)
      assert.match(noCredentials?.lastError ?? '', /no user/)

      // Five minutes on: nothing is due, for either console.
      clock = new Date('2026-11-27T10:05:00Z')
      await first.collectDue()
      await second.collectDue()
      assert.deepEqual(await collections(), afterFirst)

      // Past the interval: whichever console looks first collects; the other finds it not due.
      clock = new Date('2026-11-27T10:11:00Z')
      await second.collectDue()
      assert.equal((await collections())[`hypervisor:${good.id}`], clock.toISOString())
      const byB = await collections()
      await first.collectDue()
      assert.deepEqual(await collections(), byB)

      // Two consoles asked at the same moment: one collects, the other is told it runs.
      const both = await Promise.allSettled([first.collect(good), second.collect(good)])
      assert.deepEqual(both.map((outcome) => outcome.status).sort(), ['fulfilled', 'rejected'])
      const refused = both.find((outcome) => outcome.status === 'rejected')
      assert.equal((refused as PromiseRejectedResult).reason.code, 'DW_ERR_COLLECTION_RUNNING')

      // A stopped console starts no collection.
      await first.stop()
      await assert.rejects(first.collect(good), { code: 'DW_ERR_COLLECTION_RUNNING' })
    })
  }
})
