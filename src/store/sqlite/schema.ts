// The SQLite schema of the local store. Bump SCHEMA_VERSION and add a step to MIGRATIONS when
// it changes; a database from a newer driftwatch is refused rather than guessed at.

export const SCHEMA_VERSION = 2

export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE baseline_header (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    target TEXT NOT NULL,
    rules TEXT NOT NULL,
    element_count INTEGER NOT NULL,
    digest TEXT NOT NULL,
    acceptances_digest TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    key_salt TEXT,
    signature TEXT NOT NULL
  );
  CREATE TABLE baseline_elements (
    key TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    attributes TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE contents (sha256 TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE checks (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    baseline_version INTEGER NOT NULL,
    target TEXT NOT NULL,
    summary TEXT NOT NULL,
    scanned TEXT NOT NULL,
    not_checked TEXT NOT NULL,
    change_count INTEGER NOT NULL,
    signature TEXT
  );
  CREATE TABLE check_changes (
    check_id INTEGER NOT NULL REFERENCES checks(id),
    key TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('added', 'removed', 'modified')),
    fields TEXT NOT NULL,
    renamed TEXT,
    observed TEXT,
    observed_content TEXT,
    accepted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (check_id, key)
  ) WITHOUT ROWID;
  CREATE TABLE acceptances (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    reason TEXT NOT NULL,
    check_id INTEGER NOT NULL REFERENCES checks(id),
    keys TEXT NOT NULL,
    baseline_version INTEGER NOT NULL
  );
  `,
  // 2: when each failing test first failed on a node, for remediation deadlines.
  `
  CREATE TABLE test_failures (
    node TEXT NOT NULL,
    test TEXT NOT NULL,
    first_failed_at TEXT NOT NULL,
    last_failed_at TEXT NOT NULL,
    PRIMARY KEY (node, test)
  ) WITHOUT ROWID;
  `,
]
