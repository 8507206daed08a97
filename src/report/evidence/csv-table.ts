// CSV for evidence files: RFC 4180 (CRLF lines, quoted cells, doubled quotes) with a header row,
// and no cell a spreadsheet would run as a formula.

export type CsvCell = string | number | boolean | null | undefined

// Spreadsheets run a cell that starts with one of these as a formula, and these files hold text
// that anyone who can write a file or a ticket title controls (CWE-1236): a leading single quote
// makes the cell plain text when opened, and a reader of the raw CSV still sees the whole value.
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * A cell as text that is safe to open in a spreadsheet.
 *
 * @example neutralizeFormula('=HYPERLINK("http://evil")') // `'=HYPERLINK("http://evil")`
 */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text
}

function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return ''
  // Numbers are ours (ids, sizes): a negative one is not a formula and keeps its sign.
  const text = typeof value === 'string' ? neutralizeFormula(value) : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * An RFC 4180 table: the header row, then one line per row, each ended by CRLF.
 *
 * @example toCsv(['node', 'key'], [['web-01', 'file:/etc/motd']]) // 'node,key\r\nweb-01,file:/etc/motd\r\n'
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('')
}
