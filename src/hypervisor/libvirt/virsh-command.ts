// virsh parses each batched command itself (its own quoting, not a shell's): arguments that come
// from the hypervisor — a pool's name, a volume's path — are quoted for that parser.

/**
 * One virsh command line with its arguments quoted for virsh. Values are given after their
 * option's name (`--pool`, `--vol`), so a value that starts with `-` is never taken for one.
 *
 * @example virshCommand('vol-dumpxml', '--pool', 'my pool', '--vol', 'a.qcow2')
 * // "vol-dumpxml --pool 'my pool' --vol a.qcow2"
 */
export function virshCommand(name: string, ...args: readonly string[]): string {
  return [name, ...args.map(quoteVirshArgument)].join(' ')
}

/**
 * Single quotes keep everything literal in virsh, `;` included; an argument holding a single
 * quote goes in double quotes, where virsh takes a backslash as escaping the next character.
 */
export function quoteVirshArgument(arg: string): string {
  if (/^--[a-z-]+$/.test(arg) || /^[A-Za-z0-9_.:/=@+][A-Za-z0-9_.:/=@+-]*$/.test(arg)) return arg
  if (!arg.includes("'")) return `'${arg}'`
  return `"${arg.replace(/[\\"]/g, (char) => `\\${char}`)}"`
}
