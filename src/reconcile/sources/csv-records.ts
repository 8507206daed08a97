// RFC 4180 records out of CSV text, each with the line it starts on. A malformed record costs
// only itself: reading goes on at the next line, so one stray quote does not swallow the file.

export interface CsvRecord {
  /** The 1-based line the record starts on (a quoted field may carry it over several lines). */
  readonly line: number
  readonly fields: readonly string[]
}

export interface CsvRecordProblem {
  readonly line: number
  /** The 0-based index of the field at fault. */
  readonly fieldIndex: number
  readonly message: string
}

export interface CsvRecords {
  readonly records: readonly CsvRecord[]
  readonly problems: readonly CsvRecordProblem[]
}

type RecordRead =
  | {
      readonly kind: 'record'
      readonly fields: string[]
      readonly next: number
      readonly lines: number
    }
  | {
      readonly kind: 'malformed'
      readonly fieldIndex: number
      readonly message: string
      readonly resumeAt: number
    }

/**
 * Reads every record of a CSV text: fields separated by commas, records by CRLF or LF, fields
 * quoted with `"` may hold commas, line breaks and doubled quotes. Blank lines are skipped.
 *
 * @example readCsvRecords('ref,title\r\nCHG1,"nginx, TLS"\r\n').records
 * // → [{ line: 1, fields: ['ref', 'title'] }, { line: 2, fields: ['CHG1', 'nginx, TLS'] }]
 */
export function readCsvRecords(text: string): CsvRecords {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  const records: CsvRecord[] = []
  const problems: CsvRecordProblem[] = []
  let position = 0
  let line = 1
  while (position < source.length) {
    const read = readRecord(source, position)
    if (read.kind === 'malformed') {
      problems.push({ line, fieldIndex: read.fieldIndex, message: read.message })
      line += countLineBreaks(source, position, read.resumeAt)
      position = read.resumeAt
      continue
    }
    const blank = read.fields.length === 1 && read.fields[0] === ''
    if (!blank) records.push({ line, fields: read.fields })
    line += read.lines
    position = read.next
  }
  return { records, problems }
}

function readRecord(text: string, start: number): RecordRead {
  const fields: string[] = []
  let field = ''
  let position = start
  let lines = 0
  let quoted = false
  let fieldStart = true
  const malformedHere = (message: string): RecordRead => ({
    kind: 'malformed',
    fieldIndex: fields.length,
    message,
    resumeAt: afterLineBreak(text, position),
  })
  while (position < text.length) {
    const char = text[position]
    if (quoted) {
      if (char === '"') {
        if (text[position + 1] === '"') {
          field += '"'
          position += 2
          continue
        }
        quoted = false
        position += 1
        const after = text[position]
        if (after !== undefined && after !== ',' && after !== '\n' && !isCrlf(text, position)) {
          return malformedHere(
            `expected a comma or the end of the line after a closing quote, found "${after}"`,
          )
        }
        continue
      }
      if (char === '\n') lines += 1
      field += char
      position += 1
      continue
    }
    if (char === '"' && fieldStart) {
      quoted = true
      fieldStart = false
      position += 1
      continue
    }
    if (char === '"') {
      return malformedHere(
        'a quote inside an unquoted field (quote the whole field and double its quotes)',
      )
    }
    if (char === ',') {
      fields.push(field)
      field = ''
      fieldStart = true
      position += 1
      continue
    }
    if (char === '\n' || isCrlf(text, position)) {
      fields.push(field)
      const next = position + (char === '\n' ? 1 : 2)
      return { kind: 'record', fields, next, lines: lines + 1 }
    }
    field += char
    fieldStart = false
    position += 1
  }
  if (quoted) {
    // The quote never closes, so it cannot be known where this record was meant to end: it ends
    // at its first line, and the lines after it are read as records of their own.
    return {
      kind: 'malformed',
      fieldIndex: fields.length,
      message: 'a quoted field is never closed (unterminated quote)',
      resumeAt: afterLineBreak(text, start),
    }
  }
  fields.push(field)
  return { kind: 'record', fields, next: position, lines }
}

function isCrlf(text: string, position: number): boolean {
  return text[position] === '\r' && text[position + 1] === '\n'
}

function afterLineBreak(text: string, from: number): number {
  const index = text.indexOf('\n', from)
  return index === -1 ? text.length : index + 1
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0
  for (let index = from; index < to; index += 1) if (text[index] === '\n') count += 1
  return count
}
