// Which file rules a scan uses: a rules file when given, else the baseline's own, else the default
// for the kind of Target.
import {
  LIVE_HOST_RULES,
  loadRulesFileModule,
  WHOLE_ROOT_RULES,
  type FileRules,
} from '../collect/index.js'
import type { Target } from '../target/index.js'

export async function rulesForScan(options: {
  rulesFile?: string | undefined
  /** The baseline's rules (JSON): validated when the baseline was taken, covered by its signature. */
  storedRules?: string | undefined
  target: Target
}): Promise<FileRules> {
  if (options.rulesFile !== undefined) {
    const { loadFileRules } = await loadRulesFileModule()
    return loadFileRules(options.rulesFile)
  }
  if (options.storedRules !== undefined) return JSON.parse(options.storedRules) as FileRules
  return options.target.live ? LIVE_HOST_RULES : WHOLE_ROOT_RULES
}
