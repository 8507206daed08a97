// Which file rules a scan uses: a rules file when given, else the baseline's own, else the default
// for the kind of Target.
import {
  fileRulesSchema,
  LIVE_HOST_RULES,
  loadFileRules,
  WHOLE_ROOT_RULES,
  type FileRules,
} from '../collect/index.js'
import { DriftwatchError } from '../errors/index.js'
import type { Target } from '../target/index.js'

export function rulesForScan(options: {
  rulesFile?: string | undefined
  storedRules?: string | undefined
  target: Target
}): FileRules {
  if (options.rulesFile !== undefined) return loadFileRules(options.rulesFile)
  if (options.storedRules !== undefined) {
    const parsed = fileRulesSchema.safeParse(JSON.parse(options.storedRules))
    if (!parsed.success) {
      throw new DriftwatchError(
        'DW_ERR_DB_CORRUPT',
        `the rules stored with the baseline are invalid: ${parsed.error.message}`,
      )
    }
    return parsed.data
  }
  return options.target.live ? LIVE_HOST_RULES : WHOLE_ROOT_RULES
}
