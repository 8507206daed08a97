// driftwatch snapshot: print every element of a system as it is now.
import type { Command } from 'commander'
import { resolveCliConfig, type CliFlags } from '../../config/index.js'
import { DriftwatchError, EXIT } from '../../errors/index.js'
import type { AttributeValue, Element } from '../../model/index.js'
import { parseSnapshotParts, SNAPSHOT_PARTS, takeSnapshot } from '../../standalone/index.js'
import { openTarget } from '../../target/index.js'
import type { CliIo } from '../cli-io.js'
import { ProgressReporter } from '../progress.js'

export function registerSnapshot(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
): void {
  program
    .command('snapshot')
    .description('print every element of the system as it is now (no baseline, no database)')
    .option('--root <dir>', 'a root filesystem held in this directory instead of the live host')
    .option(
      '--collect <list>',
      `what to collect, comma-separated: ${SNAPSHOT_PARTS.join(', ')} (default: all but files)`,
    )
    .option('--rules <file>', 'file-integrity rules, for files (default: the built-in ones)')
    .option(
      '--hypervisor <spec>',
      'a hypervisor instead of this system: libvirt:<URI> (libvirt:qemu:///system) or vsphere:<URL>',
    )
    .option('--format <format>', 'text or json', 'text')
    .option('--threads <n>', 'hashing threads for files, the main thread included')
    .option('-q, --quiet', 'no progress output')
    .action(async (flags: CliFlags & { collect?: string; hypervisor?: string }) => {
      const config = resolveCliConfig(flags, io.env, { needsDatabase: false })
      if (flags.hypervisor !== undefined) {
        const mixed = (['root', 'collect', 'rules', 'threads'] as const).filter(
          (flag) => flags[flag] !== undefined,
        )
        if (mixed.length > 0) {
          throw new DriftwatchError(
            'DW_ERR_USAGE',
            `--hypervisor reads a hypervisor, not a system: drop --${mixed.join(', --')}`,
          )
        }
        const snapshot = await hypervisorSnapshot(flags.hypervisor, io.env)
        io.stdout.write(config.format === 'json' ? snapshotJson(snapshot) : snapshotText(snapshot))
        setExit(EXIT.ok)
        return
      }
      const progress = new ProgressReporter(io.stderr, config.quiet)
      const snapshot = await takeSnapshot({
        target: openTarget({ root: config.root }),
        collect: flags.collect === undefined ? undefined : parseSnapshotParts(flags.collect),
        rulesFile: config.rulesFile,
        threads: config.threads,
        onProgress: progress.update,
      })
      progress.finish()
      io.stdout.write(config.format === 'json' ? snapshotJson(snapshot) : snapshotText(snapshot))
      setExit(EXIT.ok)
    })
}

/** What is printed: a system's snapshot, or a hypervisor's inventory read as one. */
interface PrintedSnapshot {
  readonly target: string
  readonly takenAt: string
  readonly elements: readonly Element[]
  readonly notChecked: readonly { path: string; reason: string; detail: string }[]
}

/** The hypervisor's problems (a VM that vanished or could not be read) are what was not checked. */
async function hypervisorSnapshot(spec: string, env: NodeJS.ProcessEnv): Promise<PrintedSnapshot> {
  // Loaded only for --hypervisor: XML and SOAP parsing would slow every other command's start.
  const { inventoryElements, inventoryNotChecked, readHypervisorInventory } =
    await import('../../hypervisor/index.js')
  const inventory = await readHypervisorInventory(spec, { env })
  return {
    target: `${inventory.kind}:${inventory.uri}`,
    takenAt: inventory.takenAt,
    elements: inventoryElements(inventory),
    notChecked: inventoryNotChecked(inventory),
  }
}

function snapshotJson(snapshot: PrintedSnapshot): string {
  return `${JSON.stringify(
    {
      target: snapshot.target,
      takenAt: snapshot.takenAt,
      elements: snapshot.elements.map((element) => ({
        key: element.key,
        attributes: element.attributes,
      })),
      notChecked: snapshot.notChecked,
    },
    null,
    2,
  )}\n`
}

function snapshotText(snapshot: PrintedSnapshot): string {
  const lines = [
    `Snapshot of ${snapshot.target} at ${snapshot.takenAt}: ${snapshot.elements.length} elements`,
    '',
  ]
  for (const element of snapshot.elements) {
    const attributes = Object.entries(element.attributes)
      .map(([name, value]) => `${name}=${formatValue(value)}`)
      .join(' ')
    lines.push(`${element.key}  ${attributes}`)
  }
  if (snapshot.notChecked.length > 0) {
    lines.push('', `Not checked (${snapshot.notChecked.length})`)
    for (const item of snapshot.notChecked)
      lines.push(`  ! ${item.path}: ${item.reason} (${item.detail})`)
  }
  return `${lines.join('\n')}\n`
}

function formatValue(value: AttributeValue): string {
  if (value === null) return '(none)'
  const text = String(value)
  return /[\s"]/.test(text) || text === '' ? JSON.stringify(text) : text
}
