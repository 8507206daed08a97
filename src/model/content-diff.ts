// Line-level diff of a text file's content between its baseline and its observed state.
import { createTwoFilesPatch } from 'diff'

/**
 * A unified diff (3 lines of context) with the baseline as the old side.
 *
 * @example unifiedContentDiff('/etc/motd', 'hello\n', 'hello world\n')
 */
export function unifiedContentDiff(path: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(
    `${path} (baseline)`,
    `${path} (observed)`,
    before,
    after,
    '',
    '',
    {
      context: 3,
    },
  )
  // Drop the "Index:"/"====" preamble: the file names follow in the ---/+++ lines.
  return patch.replace(/^=+\n/m, '').trimEnd()
}
