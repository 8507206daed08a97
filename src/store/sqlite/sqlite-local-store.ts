// The local store in one SQLite file (better-sqlite3): baseline, content, checks, acceptances.
import type Database from 'better-sqlite3'
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { DriftwatchError } from '../../errors/index.js'
import type { SerializedElement } from '../../model/index.js'
import type {
  AcceptanceRecord,
  AcceptedChange,
  BaselineHeader,
  CheckRecord,
  LocalStore,
  ObservedChange,
  StoredCheck,
} from '../local-store.js'
import {
  acceptanceFromRow,
  changeFromRow,
  checkFromRow,
  headerFromRow,
  headerParameters,
  type AcceptanceRow,
  type ChangeRow,
  type CheckRow,
  type HeaderRow,
} from './row-mapping.js'
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js'

// better-sqlite3 is loaded when a database is first opened: `assess` without --db and
// `--version` load this module and never open one, and loading the addon costs ~13 ms.
const requireHere = createRequire(import.meta.url)
let openDatabase: typeof Database | undefined
function databaseClass(): typeof Database {
  openDatabase ??= requireHere('better-sqlite3') as typeof Database
  return openDatabase
}

/** Rows per multi-row INSERT (3 parameters each, well under SQLite's limit of 32766). */
const INSERT_BATCH = 100

export class SqliteLocalStore implements LocalStore {
  private readonly db: Database.Database

  private constructor(
    db: Database.Database,
    private readonly file: string,
  ) {
    this.db = db
  }

  /**
   * Opens the store. With `create`, a missing file is created with the schema; without it, a
   * missing file is DW_ERR_DB_NOT_INITIALIZED. A file that is not a driftwatch database, or is
   * damaged, is DW_ERR_DB_CORRUPT.
   */
  static open(file: string, options: { create: boolean }): SqliteLocalStore {
    if (!options.create && !existsSync(file)) {
      throw new DriftwatchError(
        'DW_ERR_DB_NOT_INITIALIZED',
        `${file} does not exist: run driftwatch init first`,
      )
    }
    let db: Database.Database
    try {
      db = new (databaseClass())(file, { fileMustExist: !options.create })
    } catch (error) {
      throw new DriftwatchError('DW_ERR_IO', `cannot open ${file}: ${(error as Error).message}`)
    }
    const store = new SqliteLocalStore(db, file)
    try {
      store.prepareSchema(options.create)
    } catch (error) {
      db.close()
      if (error instanceof DriftwatchError) throw error
      throw store.corrupt(error)
    }
    return store
  }

  private prepareSchema(create: boolean): void {
    this.db.pragma('journal_mode = DELETE')
    this.db.pragma('synchronous = NORMAL')
    // 4 MB of page cache instead of better-sqlite3's 16 MB: the baseline is written and read in
    // key order, so a larger cache buys no speed, only resident memory (measured on /usr).
    this.db.pragma('cache_size = -4000')
    this.db.pragma('foreign_keys = ON')
    // No quick_check here: it reads every page (~80 ms on a /usr-sized baseline) and finds less
    // than the signature check does; a damaged page met later is reported as DW_ERR_DB_CORRUPT.
    const tables = this.db
      .prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`)
      .pluck()
      .get() as number
    if (tables === 0) {
      if (!create)
        throw new DriftwatchError(
          'DW_ERR_DB_NOT_INITIALIZED',
          `${this.file} holds no baseline: run driftwatch init first`,
        )
      this.db.transaction(() => {
        for (const step of MIGRATIONS) this.db.exec(step)
        this.db
          .prepare(`INSERT INTO meta (name, value) VALUES ('schema_version', ?)`)
          .run(String(SCHEMA_VERSION))
      })()
      return
    }
    const version = Number(
      this.db.prepare(`SELECT value FROM meta WHERE name = 'schema_version'`).pluck().get(),
    )
    if (!Number.isInteger(version) || version < 1 || version > SCHEMA_VERSION) {
      throw new DriftwatchError(
        'DW_ERR_DB_CORRUPT',
        `${this.file} has schema version ${Number.isNaN(version) ? 'unknown' : version}; this driftwatch reads versions 1 to ${SCHEMA_VERSION}`,
      )
    }
    if (version < SCHEMA_VERSION) {
      // An older database is brought up to date, step by step, in one transaction.
      this.db.transaction(() => {
        for (const step of MIGRATIONS.slice(version)) this.db.exec(step)
        this.db
          .prepare(`UPDATE meta SET value = ? WHERE name = 'schema_version'`)
          .run(String(SCHEMA_VERSION))
      })()
    }
  }

  firstFailures(node: string): Map<string, string> {
    const rows = this.guard(
      () =>
        this.db
          .prepare(`SELECT test, first_failed_at FROM test_failures WHERE node = ?`)
          .raw()
          .all(node) as [string, string][],
    )
    return new Map(rows)
  }

  recordFailures(node: string, failing: readonly string[], at: string): void {
    this.guard(() =>
      this.db.transaction(() => {
        const known = new Set(this.firstFailures(node).keys())
        const upsert = this.db.prepare(
          `INSERT INTO test_failures (node, test, first_failed_at, last_failed_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (node, test) DO UPDATE SET last_failed_at = excluded.last_failed_at`,
        )
        for (const test of failing) upsert.run(node, test, at, at)
        // A test that passes again starts a new deadline the next time it fails.
        const remove = this.db.prepare(`DELETE FROM test_failures WHERE node = ? AND test = ?`)
        const still = new Set(failing)
        for (const test of known) if (!still.has(test)) remove.run(node, test)
      })(),
    )
  }

  private corrupt(error: unknown): DriftwatchError {
    return new DriftwatchError(
      'DW_ERR_DB_CORRUPT',
      `${this.file} is damaged or is not a driftwatch database (${(error as Error).message})`,
      { cause: error },
    )
  }

  /** Runs a read or write, turning SQLite's complaints about a damaged file into DW_ERR_DB_CORRUPT. */
  private guard<T>(work: () => T): T {
    try {
      return work()
    } catch (error) {
      if (error instanceof DriftwatchError) throw error
      throw this.corrupt(error)
    }
  }

  header(): BaselineHeader | undefined {
    const row = this.guard(
      () =>
        this.db.prepare(`SELECT * FROM baseline_header WHERE id = 1`).get() as
          HeaderRow | undefined,
    )
    return row === undefined ? undefined : headerFromRow(row)
  }

  private insertElement: Database.Statement | undefined
  private insertElements: Database.Statement | undefined
  private insertContent: Database.Statement | undefined
  /** Elements waiting to be inserted: rows go in by the hundred, one native call each. */
  private pendingRows: string[] = []

  beginBaseline(): void {
    this.db.exec('BEGIN IMMEDIATE')
    this.db.exec('DELETE FROM baseline_elements')
    this.insertElement = this.db.prepare(
      `INSERT INTO baseline_elements (key, digest, attributes) VALUES (?, ?, ?)`,
    )
    this.insertElements = this.db.prepare(
      `INSERT INTO baseline_elements (key, digest, attributes) VALUES ${Array(INSERT_BATCH).fill('(?, ?, ?)').join(', ')}`,
    )
    this.insertContent = this.db.prepare(
      `INSERT OR IGNORE INTO contents (sha256, body) VALUES (?, ?)`,
    )
  }

  putElement(element: SerializedElement): void {
    if (this.insertContent === undefined) throw new Error('putElement outside beginBaseline')
    this.pendingRows.push(element.key, element.digest, element.attributes)
    if (this.pendingRows.length === INSERT_BATCH * 3) this.flushElements()
    if (element.content !== undefined && element.contentSha256 !== undefined) {
      this.insertContent.run(element.contentSha256, element.content)
    }
  }

  private flushElements(): void {
    const rows = this.pendingRows
    this.pendingRows = []
    if (rows.length === INSERT_BATCH * 3) {
      this.insertElements?.run(rows)
      return
    }
    for (let i = 0; i < rows.length; i += 3)
      this.insertElement?.run(rows[i], rows[i + 1], rows[i + 2])
  }

  *baselineDigests(): IterableIterator<[string, string]> {
    this.flushElements()
    const statement = this.db
      .prepare(`SELECT key, digest FROM baseline_elements ORDER BY key`)
      .raw()
    const rows = this.guard(() => statement.iterate()) as IterableIterator<[string, string]>
    try {
      for (;;) {
        const next = this.guard(() => rows.next())
        if (next.done === true) return
        yield next.value
      }
    } finally {
      rows.return?.()
    }
  }

  private selectAttributes: Database.Statement | undefined

  baselineAttributes(key: string): string | undefined {
    this.selectAttributes ??= this.db
      .prepare(`SELECT attributes FROM baseline_elements WHERE key = ?`)
      .pluck()
    const statement = this.selectAttributes
    return this.guard(() => statement.get(key) as string | undefined)
  }

  commitBaseline(header: BaselineHeader): void {
    this.flushElements()
    this.writeHeader(header)
    this.db.exec('COMMIT')
    this.insertElement = undefined
    this.insertElements = undefined
    this.insertContent = undefined
  }

  rollback(): void {
    this.pendingRows = []
    if (this.db.inTransaction) this.db.exec('ROLLBACK')
  }

  private writeHeader(header: BaselineHeader): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO baseline_header
           (id, version, created_at, updated_at, target, rules, element_count, digest,
            acceptances_digest, key_fingerprint, key_salt, signature)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...headerParameters(header))
  }

  content(sha256: string): string | undefined {
    return this.guard(
      () =>
        this.db.prepare(`SELECT body FROM contents WHERE sha256 = ?`).pluck().get(sha256) as
          string | undefined,
    )
  }

  recordCheck(
    check: CheckRecord,
    changes: readonly ObservedChange[],
    contents: ReadonlyMap<string, string>,
    sign: ((checkId: number) => string) | undefined,
  ): number {
    return this.guard(() =>
      this.db.transaction(() => {
        const id = Number(
          this.db
            .prepare(
              `INSERT INTO checks (started_at, finished_at, baseline_version, target, summary, scanned,
                                   not_checked, change_count)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              check.startedAt,
              check.finishedAt,
              check.baselineVersion,
              check.target,
              JSON.stringify(check.summary),
              JSON.stringify(check.scanned),
              JSON.stringify(check.notChecked),
              changes.length,
            ).lastInsertRowid,
        )
        const insertChange = this.db.prepare(
          `INSERT INTO check_changes (check_id, key, change, fields, renamed, observed, observed_content)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        for (const change of changes) {
          const renamed = change.renamedFrom ?? change.renamedTo ?? null
          insertChange.run(
            id,
            change.key,
            change.change,
            JSON.stringify(change.fields),
            renamed === null
              ? null
              : JSON.stringify({ from: change.renamedFrom, to: change.renamedTo }),
            change.observed,
            change.observedContent,
          )
        }
        const insertContent = this.db.prepare(
          `INSERT OR IGNORE INTO contents (sha256, body) VALUES (?, ?)`,
        )
        for (const [sha256, body] of contents) insertContent.run(sha256, body)
        if (sign !== undefined) {
          this.db.prepare(`UPDATE checks SET signature = ? WHERE id = ?`).run(sign(id), id)
        }
        return id
      })(),
    )
  }

  latestCheck(): StoredCheck | undefined {
    return this.listChecks(1)[0]
  }

  check(checkId: number): StoredCheck | undefined {
    return this.selectChecks('WHERE c.id = ?', [checkId])[0]
  }

  listChecks(limit: number): StoredCheck[] {
    return this.selectChecks('ORDER BY c.id DESC LIMIT ?', [limit])
  }

  private selectChecks(clause: string, parameters: unknown[]): StoredCheck[] {
    const rows = this.guard(
      () =>
        this.db
          .prepare(
            `SELECT c.*, (SELECT count(*) FROM check_changes x WHERE x.check_id = c.id AND x.accepted = 1)
                      AS accepted_count
             FROM checks c ${clause}`,
          )
          .all(...parameters) as CheckRow[],
    )
    return rows.map(checkFromRow)
  }

  checkChanges(checkId: number): ObservedChange[] {
    const rows = this.guard(
      () =>
        this.db
          .prepare(`SELECT * FROM check_changes WHERE check_id = ? ORDER BY key`)
          .all(checkId) as ChangeRow[],
    )
    return rows.map(changeFromRow)
  }

  acceptances(): AcceptanceRecord[] {
    const rows = this.guard(
      () => this.db.prepare(`SELECT * FROM acceptances ORDER BY id`).all() as AcceptanceRow[],
    )
    return rows.map(acceptanceFromRow)
  }

  accept(
    checkId: number,
    changes: readonly AcceptedChange[],
    record: AcceptanceRecord,
    seal: () => BaselineHeader,
  ): void {
    this.guard(() =>
      this.db.transaction(() => {
        const upsert = this.db.prepare(
          `INSERT INTO baseline_elements (key, digest, attributes) VALUES (?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET digest = excluded.digest, attributes = excluded.attributes`,
        )
        const remove = this.db.prepare(`DELETE FROM baseline_elements WHERE key = ?`)
        const markAccepted = this.db.prepare(
          `UPDATE check_changes SET accepted = 1 WHERE check_id = ? AND key = ?`,
        )
        for (const change of changes) {
          if (change.observed === null || change.digest === null) remove.run(change.key)
          else upsert.run(change.key, change.digest, change.observed)
          markAccepted.run(checkId, change.key)
        }
        this.db
          .prepare(
            `INSERT INTO acceptances (at, who, reason, check_id, keys, baseline_version)
             VALUES (?, ?, ?, ?, ?, ?)`,
          )
          .run(
            record.at,
            record.who,
            record.reason,
            record.checkId,
            JSON.stringify(record.keys),
            record.baselineVersion,
          )
        this.writeHeader(seal())
      })(),
    )
  }

  close(): void {
    this.rollback()
    this.db.close()
  }
}
