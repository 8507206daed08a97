// Flags shared by the commands that read a baseline database.
import { Option, type Command } from 'commander'

export function addStoreFlags(command: Command): Command {
  return command
    .option('--db <file>', 'the SQLite database holding the baseline (or DRIFTWATCH_DB)')
    .option(
      '--key <file>',
      'Ed25519 signing key file (or DRIFTWATCH_KEY; default ~/.config/driftwatch/signing.key)',
    )
    .option(
      '--passphrase-file <file>',
      'derive the signing key from the passphrase in this file (or DRIFTWATCH_PASSPHRASE)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']))
}

export function addScanFlags(command: Command): Command {
  return addStoreFlags(command)
    .option(
      '--root <dir>',
      'scan the root filesystem held in this directory instead of the live host',
    )
    .option(
      '--rules <file>',
      'file-integrity rules (YAML); default: for init the built-in rules, for check the rules the baseline was taken with',
    )
    .option('--threads <n>', 'hashing threads, the main thread included (default: one per core)')
    .option('-q, --quiet', 'no progress output')
}
