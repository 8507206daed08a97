// driftwatch assess: evaluate policies against a system.
import type { Command } from 'commander'
import { DEFAULTS } from '../../config/index.js'
import { DriftwatchError, EXIT } from '../../errors/index.js'
import { renderAssessmentJson, renderAssessmentText } from '../../report/index.js'
import { loadAssessModule, loadHypervisorAssessModule } from '../../standalone/index.js'
import { openTarget } from '../../target/index.js'
import type { CliIo } from '../cli-io.js'

interface AssessFlags {
  readonly root?: string
  readonly hypervisor?: string
  readonly policy: string[]
  readonly waivers?: string
  readonly format?: string
  readonly tag: string[]
  readonly db?: string
  readonly deadlineDays?: string
}

export function registerAssess(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('assess')
    .description(
      'assess the system against policies; exit 0 when nothing fails, 1 when something does',
    )
    .option('--root <dir>', 'a root filesystem held in this directory instead of the live host')
    .option(
      '--hypervisor <spec>',
      'a hypervisor and its VMs instead of this system: libvirt:<URI> or vsphere:<URL>',
    )
    .option(
      '--policy <id-or-file>',
      'a shipped policy id or a policy file (repeat; default: every shipped policy, with --hypervisor vm-config and vsphere-host)',
      collect,
      [],
    )
    .option('--waivers <file>', 'waivers (YAML): see docs/waivers.md')
    .option(
      '--tag <tag>',
      'a tag of this node, for applicability and waivers (repeat)',
      collect,
      [],
    )
    .option('--db <file>', 'remember when each failure was first seen (deadlines run from then)')
    .option(
      '--deadline-days <list>',
      'days to fix by severity, e.g. critical=7,high=30,medium=90,low=180',
    )
    .option('--format <format>', 'text or json', 'text')
    .action(async (flags: AssessFlags) => {
      if (flags.format !== 'text' && flags.format !== 'json') {
        throw new DriftwatchError('DW_ERR_USAGE', '--format must be text or json')
      }
      const common = {
        policies: flags.policy,
        waiversFile: flags.waivers,
        tags: flags.tag,
        deadlines: parseDeadlines(flags.deadlineDays),
        db: flags.db,
      }
      let assessment
      if (flags.hypervisor !== undefined) {
        if (flags.root !== undefined) {
          throw new DriftwatchError(
            'DW_ERR_USAGE',
            '--hypervisor reads a hypervisor, not a system: drop --root',
          )
        }
        // The connectors load only here: assessing a host starts without them.
        const { assessHypervisor } = await loadHypervisorAssessModule()
        assessment = await assessHypervisor({
          ...common,
          hypervisor: flags.hypervisor,
          env: io.env,
        })
      } else {
        const { assessSystem } = await loadAssessModule()
        assessment = await assessSystem({ ...common, target: openTarget({ root: flags.root }) })
      }
      io.stdout.write(
        flags.format === 'json'
          ? renderAssessmentJson(assessment)
          : renderAssessmentText(assessment),
      )
      setExit(
        assessment.counts.fail > 0
          ? EXIT.changesFound
          : assessment.counts.error > 0
            ? EXIT.failure
            : EXIT.ok,
      )
    })
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

/** `critical=7,high=30` over the defaults. */
function parseDeadlines(list: string | undefined): Record<Severity, number> {
  const deadlines: Record<Severity, number> = { ...DEFAULTS.deadlines }
  if (list === undefined) return deadlines
  for (const part of list.split(',')) {
    const [severity, days] = part.split('=').map((text) => text.trim())
    if (
      !(SEVERITY_NAMES as readonly string[]).includes(severity ?? '') ||
      !/^\d{1,5}$/.test(days ?? '')
    ) {
      throw new DriftwatchError(
        'DW_ERR_USAGE',
        `--deadline-days: "${part}" is not SEVERITY=DAYS (severities: ${SEVERITY_NAMES.join(', ')})`,
      )
    }
    deadlines[severity as Severity] = Number(days)
  }
  return deadlines
}

type Severity = keyof typeof DEFAULTS.deadlines
const SEVERITY_NAMES = Object.keys(DEFAULTS.deadlines) as Severity[]
