// Judging the whole fleet again without waiting for agents: after a waiver is granted or
// withdrawn, when the console starts with other policies, and once a day (deadlines fall due
// and waivers expire with the calendar). Evaluation is a pure function of stored snapshots, so
// this needs no agent. Requests arriving during a sweep coalesce into one more sweep.
import type { FastifyBaseLogger } from 'fastify'
import type { ConsoleContext } from './console-context.js'
import { evaluateNode } from './node-evaluation.js'

export class FleetReevaluation {
  private running: Promise<void> | undefined
  private again = false
  private stopped = false

  constructor(
    private readonly context: () => ConsoleContext,
    /** The app's logger, once there is an app. */
    private readonly log: () => Pick<FastifyBaseLogger, 'error' | 'info'>,
  ) {}

  /** Asks for a sweep; returns at once. */
  request(reason: string): void {
    if (this.stopped) return
    if (this.running !== undefined) {
      this.again = true
      return
    }
    this.running = this.sweep(reason)
      .catch((error: unknown) => this.log().error({ err: error }, 'fleet re-evaluation failed'))
      .finally(() => {
        this.running = undefined
        if (this.again) {
          this.again = false
          this.request('requested during the previous sweep')
        }
      })
  }

  /** Resolves when no sweep runs or waits (tests, and a console that stops). */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.again = false
    await this.idle()
  }

  private async sweep(reason: string): Promise<void> {
    const context = this.context()
    const nodes = await context.store.listNodes({})
    let evaluated = 0
    for (const node of nodes) {
      if (this.stopped) return
      if (node.status === 'retired') continue
      const snapshotId = await context.store.latestSnapshotId(node.id)
      if (snapshotId === null) continue
      await evaluateNode(context, node, snapshotId)
      evaluated += 1
    }
    this.log().info({ reason, evaluated }, 'fleet re-evaluated')
  }
}
