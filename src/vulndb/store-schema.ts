/**
 * The SQLite layout of the advisory index. The file is a cache that `bulkhead db update` can
 * always rebuild, so a layout change bumps `SCHEMA_VERSION` and old files are refused rather
 * than migrated.
 */
import type Database from 'better-sqlite3';

import { AppError } from '../core/errors/index.js';

/** Bumped whenever a table or index below changes. */
export const SCHEMA_VERSION = 1;

/** Written to `meta.format`, so a random SQLite file is told apart from a bulkhead DB. */
export const FORMAT_NAME = 'bulkhead-vulndb';

const UPDATE_HINT = 'run `bulkhead db update` to rebuild the vulnerability database';

const DDL = `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE sources (
  source          TEXT PRIMARY KEY,
  location        TEXT NOT NULL,
  imported_at     TEXT NOT NULL,
  newest_modified TEXT,
  records         INTEGER NOT NULL,
  withdrawn       INTEGER NOT NULL,
  skipped         INTEGER NOT NULL,
  sha256          TEXT NOT NULL
);
CREATE TABLE advisories (
  source    TEXT NOT NULL,
  id        TEXT NOT NULL,
  modified  TEXT NOT NULL,
  withdrawn TEXT,
  record    TEXT NOT NULL,
  UNIQUE (source, id)
);
CREATE TABLE affected (
  ecosystem   TEXT NOT NULL,
  name        TEXT NOT NULL,
  source      TEXT NOT NULL,
  advisory_id TEXT NOT NULL,
  PRIMARY KEY (ecosystem, name, source, advisory_id)
) WITHOUT ROWID;
CREATE INDEX affected_by_source ON affected (source);
`;

/**
 * Creates every table in an empty database and stamps it with the current schema version.
 *
 * @example
 * createSchema(new Database(file));
 */
export function createSchema(db: Database.Database): void {
  db.exec(DDL);
  const insert = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  insert.run('format', FORMAT_NAME);
  insert.run('schemaVersion', String(SCHEMA_VERSION));
}

/**
 * Checks that `db` is a bulkhead DB of the current schema version. Returns false for a database
 * with no tables at all (a new file), which the caller may initialise.
 *
 * @example
 * if (!checkSchema(db, file) && !readonly) createSchema(db);
 */
export function checkSchema(db: Database.Database, file: string): boolean {
  let tables: string[];
  try {
    const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    tables = rows.map((row) => (row as { name: string }).name);
  } catch (err) {
    // `SQLITE_NOTADB: file is not a database` lands here.
    throw corrupt(`${file} is not a SQLite database`, err);
  }

  if (tables.length === 0) {
    return false;
  }
  if (!tables.includes('meta')) {
    throw corrupt(`${file} is not a bulkhead vulnerability database`);
  }

  const meta = new Map<string, string>();
  for (const row of db.prepare('SELECT key, value FROM meta').all()) {
    const { key, value } = row as { key: string; value: string };
    meta.set(key, value);
  }
  if (meta.get('format') !== FORMAT_NAME) {
    throw corrupt(`${file} is not a bulkhead vulnerability database`);
  }
  const version = Number(meta.get('schemaVersion'));
  if (version !== SCHEMA_VERSION) {
    throw corrupt(
      `${file} has schema version ${String(meta.get('schemaVersion'))}, this bulkhead reads ${SCHEMA_VERSION}`,
    );
  }
  return true;
}

function corrupt(message: string, cause?: unknown): AppError {
  return new AppError('db-corrupt', message, { hint: UPDATE_HINT, cause });
}
