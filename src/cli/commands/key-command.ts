// driftwatch key public: print the public half of the signing key, for hosts that only verify.
import type { Command } from 'commander'
import { resolveCliConfig, type CliFlags } from '../../config/index.js'
import { DriftwatchError, EXIT } from '../../errors/index.js'
import { SigningKey } from '../../integrity/index.js'
import type { CliIo } from '../cli-io.js'

export function registerKey(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const key = program.command('key').description('manage the signing key')
  key
    .command('public')
    .description(
      'print the public key (PEM): a host given only this can check but not re-sign a baseline',
    )
    .option(
      '--key <file>',
      'the private key file (or DRIFTWATCH_KEY; default ~/.config/driftwatch/signing.key)',
    )
    .action((flags: CliFlags) => {
      const config = resolveCliConfig(flags, io.env, { needsDatabase: false })
      if (config.key.kind !== 'file') {
        throw new DriftwatchError(
          'DW_ERR_USAGE',
          'a passphrase-derived key has no file to export: use --key',
        )
      }
      const signingKey = SigningKey.fromFile(config.key.path)
      io.stdout.write(signingKey.publicPem())
      io.stderr.write(`fingerprint ${signingKey.fingerprint}\n`)
      setExit(EXIT.ok)
    })
  key.exitOverride()
}
