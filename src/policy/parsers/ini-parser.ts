// INI files: `[section]` headers and `key = value` lines (systemd's journald.conf and
// logind.conf, sssd.conf, my.cnf …).
import type { ConfigParser, ConfigSetting } from './config-parser.js'
import { configLines } from './config-lines.js'
import { lastWins, parsedConfig } from './parsed-config.js'
import { ProblemLog } from './problem-log.js'

/**
 * Parses an INI file. Keys are `section.key` (`Journal.Storage`), or the plain key before any
 * section header; both as written, case-sensitive. Values are the text after the first `=`,
 * trimmed; a bare word (`skip-networking` in my.cnf) is the flag `true`. Lines starting with `#`
 * or `;` are comments; a section that appears twice continues. A later assignment overrides an
 * earlier one, as systemd and MySQL read them.
 *
 * @example
 * iniParser.parse('/etc/systemd/journald.conf', '[Journal]\nStorage=persistent\n', files)
 *   .effective('Journal.Storage')?.value // 'persistent'
 */
export const iniParser: ConfigParser = {
  name: 'ini',
  parse(file, text) {
    const problems = new ProblemLog(file)
    const settings: ConfigSetting[] = []
    let section: string | undefined
    // After a broken header, settings would land in the wrong section: none until a good one.
    let skipping = false
    const lines = configLines(text, file, problems, (t) => t.startsWith('#') || t.startsWith(';'))
    for (const line of lines) {
      const trimmed = line.text.trim()
      if (trimmed.startsWith('[')) {
        const close = trimmed.indexOf(']')
        const name = close === -1 ? '' : trimmed.slice(1, close).trim()
        skipping = name === ''
        if (skipping) problems.add(file, line.number, 'a section header without a name or ]')
        else section = name
        continue
      }
      if (skipping) continue
      const equals = trimmed.indexOf('=')
      const key = (equals === -1 ? trimmed : trimmed.slice(0, equals)).trim()
      const value = equals === -1 ? 'true' : trimmed.slice(equals + 1).trim()
      if (key === '' || (equals === -1 && /\s/.test(key))) {
        problems.add(file, line.number, equals === -1 ? 'a line without =' : 'a line without a key')
        continue
      }
      settings.push({
        key: section === undefined ? key : `${section}.${key}`,
        value,
        file,
        line: line.number,
      })
    }
    return parsedConfig(settings, problems.list(), lastWins)
  },
}
