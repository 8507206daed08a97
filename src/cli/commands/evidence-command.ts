// driftwatch evidence: export the evidence of a time range (changes, their reconciliation,
// tickets, corrective actions, audit log) as a signed directory, and verify one.
import { hostname } from 'node:os'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { loadConsoleConfigModule, type ConsoleFlags } from '../../config/index.js'
import { DriftwatchError, EXIT } from '../../errors/index.js'
import { SigningKey } from '../../integrity/index.js'

/** Loaded by the evidence commands only: every other command's start would pay for it. */
const evidenceModule = (): Promise<typeof import('../../report/evidence/index.js')> =>
  import('../../report/evidence/index.js')
import type { CliIo } from '../cli-io.js'
import { withConsoleStore } from './console-store.js'

interface ExportFlags extends ConsoleFlags {
  readonly from?: string
  readonly to?: string
  readonly tag?: string
  readonly node?: string
  readonly out?: string
}

interface VerifyFlags extends ConsoleFlags {
  readonly key?: string
}

function scopeOf(flags: ExportFlags): string | undefined {
  if (flags.tag !== undefined && flags.node !== undefined) {
    throw new DriftwatchError('DW_ERR_USAGE', 'give --tag or --node, not both')
  }
  if (flags.tag !== undefined) return `tag:${flags.tag}`
  return flags.node === undefined ? undefined : `name:${flags.node}`
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new DriftwatchError('DW_ERR_USAGE', `${flag} is required`)
  return value
}

export function registerEvidence(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
): void {
  const evidence = program
    .command('evidence')
    .description(
      'export signed evidence of a time range: changes and their verdicts, tickets, corrective actions',
    )
    .option('--from <time>', 'start of the range, ISO 8601 (included)')
    .option('--to <time>', 'end of the range, ISO 8601 (excluded)')
    .option('--tag <tag>', 'only nodes with this tag')
    .option('--node <glob>', 'only nodes whose name matches this glob')
    .option('--out <dir>', 'a new or empty directory to write the export into')
    .option('--data <dir>', "the console's data directory, which holds evidence.key")
    .option('--db <url>', 'postgres://… or a SQLite file (default DATA/console.db)')
    .action(async (flags: ExportFlags) => {
      const { evidenceKey, evidenceQuery, exportEvidence, writeEvidence } = await evidenceModule()
      const query = evidenceQuery({
        from: required(flags.from, '--from'),
        to: required(flags.to, '--to'),
        nodes: scopeOf(flags),
      })
      const out = resolve(required(flags.out, '--out'))
      // Exporting never creates a database: a wrong path must not give an empty, signed export.
      const bundle = await withConsoleStore(flags, io, (store, dataDir) =>
        exportEvidence(store, query, evidenceKey(dataDir), {
          console: hostname(),
          actor: 'cli',
          now: new Date(),
        }),
      )
      writeEvidence(out, bundle)
      const { counts, key } = bundle.manifest
      io.stdout.write(
        `evidence written to ${out}: ${counts.changes} changes, ${counts.tickets} tickets, ` +
          `${counts.correctiveActions} corrective actions, ${counts.auditEntries} audit entries; ` +
          `signed by ${key.fingerprint}\n`,
      )
      setExit(EXIT.ok)
    })
  evidence
    .command('verify <dir>')
    .description(
      'check an export: every file against the manifest, the manifest against its signature',
    )
    .option('--key <pem>', "the console's evidence public key (driftwatch evidence public-key)")
    .option('--data <dir>', 'a console data directory whose evidence.key is the expected key')
    .action(async (directory: string, _flags: VerifyFlags, command: Command) => {
      // --data may land on the parent command, which has the same option.
      const flags = command.optsWithGlobals<VerifyFlags>()
      const expectedKey = await expectedEvidenceKey(flags, io)
      const { verifyEvidence } = await evidenceModule()
      const verified = verifyEvidence(resolve(directory), { expectedKey })
      const { range, scope, createdAt } = verified.manifest
      io.stdout.write(
        `evidence intact: ${verified.files} files, ${range.from} to ${range.to}` +
          `${scope === null ? '' : ` (${scope})`}, made ${createdAt}\n`,
      )
      io.stdout.write(
        verified.pinned
          ? `signed by ${verified.fingerprint}, the expected key\n`
          : `signed by ${verified.fingerprint} — not pinned: compare this fingerprint with the ` +
              `console's (driftwatch evidence public-key on the console host), or give --key\n`,
      )
      setExit(EXIT.ok)
    })
  evidence
    .command('public-key')
    .description("print the console's evidence public key (PEM) for auditors to pin")
    .option('--data <dir>', "the console's data directory, which holds evidence.key")
    .action(async (_flags: ConsoleFlags, command: Command) => {
      const flags = command.optsWithGlobals<ConsoleFlags>()
      const { resolveConsoleConfig } = await loadConsoleConfigModule()
      const { existingEvidenceKey } = await evidenceModule()
      const key = existingEvidenceKey(resolveConsoleConfig(flags, io.env).dataDir)
      if (key === undefined) {
        throw new DriftwatchError(
          'DW_ERR_KEY_MISSING',
          'this console has no evidence key yet: it is made by the first export',
        )
      }
      io.stdout.write(key.publicPem())
      io.stderr.write(`fingerprint ${key.fingerprint}\n`)
      setExit(EXIT.ok)
    })
  evidence.exitOverride()
}

async function expectedEvidenceKey(flags: VerifyFlags, io: CliIo): Promise<SigningKey | undefined> {
  if (flags.key !== undefined) return SigningKey.fromFile(flags.key)
  if (flags.data === undefined && io.env['DRIFTWATCH_DATA'] === undefined) return undefined
  const { resolveConsoleConfig } = await loadConsoleConfigModule()
  const dataDir = resolveConsoleConfig(flags, io.env).dataDir
  const key = (await evidenceModule()).existingEvidenceKey(dataDir)
  if (key === undefined) {
    throw new DriftwatchError('DW_ERR_KEY_MISSING', `${dataDir} holds no evidence.key`)
  }
  return key
}
