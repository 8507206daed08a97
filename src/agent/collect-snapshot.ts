// One collection as the agent spools it: every element the spec asks for, whole, sorted by key,
// with what could not be checked and the key prefixes whose absence proves nothing.
import { randomUUID } from 'node:crypto'
import { SnapshotCollector, type CommandRunner, type FileRules } from '../collect/index.js'
import type { IncomingElement } from '../store/index.js'
import type { Target } from '../target/index.js'
import type { SpooledSnapshot } from './snapshot-delta.js'

export interface CollectionInput {
  readonly target: Target
  readonly rules: FileRules
  readonly commands: CommandRunner
  readonly threads?: number | undefined
  readonly sequence: number
  readonly now: () => Date
}

/**
 * @example await collectSnapshot({ target, rules: spec.rules, commands, sequence: 1, now: () => new Date() })
 */
export async function collectSnapshot(input: CollectionInput): Promise<SpooledSnapshot> {
  const takenAt = input.now().toISOString()
  const collector = new SnapshotCollector(input.target, input.rules, {
    commands: input.commands,
    ...(input.threads === undefined ? {} : { threads: input.threads }),
  })
  const elements: IncomingElement[] = []
  let result
  try {
    result = await collector.collect((element) =>
      elements.push({
        key: element.key,
        attributes: element.attributes,
        ...(element.content === undefined ? {} : { content: element.content }),
        ...(element.unverified === undefined ? {} : { unverified: element.unverified }),
      }),
    )
  } catch (error) {
    // collect() stops its workers when it finishes; after a failure they may still run.
    await collector.close()
    throw error
  }
  elements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return {
    uuid: randomUUID(),
    sequence: input.sequence,
    takenAt,
    elements,
    notChecked: result.notChecked,
    uncertain: result.uncertainPrefixes,
  }
}
