/**
 * The local advisory index: OSV records in SQLite, looked up by (ecosystem, package name).
 * Reading is synchronous (better-sqlite3); writing goes through `beginImport`, which holds one
 * transaction per imported source so a failed import leaves the previous data in place.
 */
import { existsSync } from 'node:fs';

import Database from 'better-sqlite3';

import { AppError } from '../core/errors/index.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { OsvRecord } from './osv-schema.js';
import { SCHEMA_VERSION, checkSchema, createSchema } from './store-schema.js';
import { SourceImport } from './store-import.js';
import type { DbSource, DbStatus } from './types.js';

export interface OpenStoreOptions {
  /** Open for lookups only; the file must exist. Default false. */
  readonly?: boolean;
  log?: Logger;
}

/** What the matcher needs from the index; tests pass a fake. */
export interface AdvisoryLookup {
  /** Records naming the package in the ecosystem, withdrawn ones excluded, sorted by id. */
  findAdvisories(ecosystem: string, name: string): OsvRecord[];
  /** Whether any record names a package in the ecosystem (`Debian:12`, `Alpine:v3.20`). */
  hasEcosystem?(ecosystem: string): boolean;
}

interface SourceRow {
  source: string;
  location: string;
  imported_at: string;
  newest_modified: string | null;
  records: number;
  withdrawn: number;
  skipped: number;
  sha256: string;
}

/** An open advisory index. Create it with `openStore`. */
export class VulnStore implements AdvisoryLookup {
  private readonly cache = new Map<string, OsvRecord | null>();
  private readonly findStmt: Database.Statement<[string, string], { id: string; record: string }>;
  private readonly ecosystemStmt: Database.Statement<[string], { found: number }>;

  constructor(
    readonly db: Database.Database,
    readonly path: string,
    private readonly log: Logger,
  ) {
    this.findStmt = db.prepare(
      `SELECT a.id AS id, a.record AS record
         FROM affected f
         JOIN advisories a ON a.source = f.source AND a.id = f.advisory_id
        WHERE f.ecosystem = ? AND f.name = ? AND a.withdrawn IS NULL
        ORDER BY a.id`,
    );
    this.ecosystemStmt = db.prepare('SELECT 1 AS found FROM affected WHERE ecosystem = ? LIMIT 1');
  }

  /**
   * Records naming `name` in `ecosystem`; parsed records are cached by id for the store's life.
   *
   * @example
   * store.findAdvisories('npm', 'lodash').map((r) => r.id); // ['GHSA-29mw-wpgm-hmr9', ...]
   */
  findAdvisories(ecosystem: string, name: string): OsvRecord[] {
    const records: OsvRecord[] = [];
    const seen = new Set<string>();
    for (const row of this.findStmt.all(ecosystem, name)) {
      // The same record may come from two sources (a GHSA naming npm and Maven packages).
      if (seen.has(row.id)) {
        continue;
      }
      seen.add(row.id);
      const record = this.parse(row.id, row.record);
      if (record) {
        records.push(record);
      }
    }
    return records;
  }

  /**
   * @example
   * store.hasEcosystem('Alpine:v3.17'); // true
   */
  hasEcosystem(ecosystem: string): boolean {
    return this.ecosystemStmt.get(ecosystem) !== undefined;
  }

  /**
   * What the index holds, per source.
   *
   * @example
   * store.status().sources.map((s) => `${s.ecosystem}: ${s.records}`);
   */
  status(): DbStatus {
    const rows = this.db.prepare('SELECT * FROM sources ORDER BY source').all() as SourceRow[];
    const sources = rows.map(toDbSource);
    let records = 0;
    for (const source of sources) {
      records += source.records;
    }
    return { path: this.path, schemaVersion: SCHEMA_VERSION, sources, records };
  }

  /** The SHA-256 of the zip the source was last imported from, if any. */
  sourceSha256(source: string): string | undefined {
    const row = this.db.prepare('SELECT sha256 FROM sources WHERE source = ?').get(source) as
      { sha256: string } | undefined;
    return row?.sha256;
  }

  /**
   * Starts replacing every record of `source` (an ecosystem directory such as `npm`). Nothing is
   * visible to readers until `commit`; `rollback` keeps the previous records.
   *
   * @example
   * const tx = store.beginImport('npm');
   * tx.add(record, json);
   * tx.commit({ location, sha256, skipped: 0 });
   */
  beginImport(source: string): SourceImport {
    this.cache.clear();
    return new SourceImport(this.db, source);
  }

  close(): void {
    this.cache.clear();
    if (this.db.open) {
      this.db.close();
    }
  }

  private parse(id: string, json: string): OsvRecord | null {
    const cached = this.cache.get(id);
    if (cached !== undefined) {
      return cached;
    }
    let record: OsvRecord | null = null;
    try {
      const parsed = OsvRecord.safeParse(JSON.parse(json));
      record = parsed.success ? parsed.data : null;
    } catch {
      record = null;
    }
    if (!record) {
      this.log.debug(`stored record ${id} no longer parses; skipped`);
    }
    this.cache.set(id, record);
    return record;
  }
}

/**
 * Opens (or, when writable, creates) the index at `path`.
 *
 * Throws `db-missing` when a read-only open finds no file, and `db-corrupt` when the file is not
 * a bulkhead DB or has another schema version.
 *
 * @example
 * const store = openStore(join(cacheDir, 'db', 'bulkhead.db'), { readonly: true });
 * try { store.findAdvisories('Debian:12', 'perl'); } finally { store.close(); }
 */
export function openStore(path: string, options: OpenStoreOptions = {}): VulnStore {
  const readonly = options.readonly ?? false;
  const log = options.log ?? silentLogger;
  if (readonly && !existsSync(path)) {
    throw new AppError('db-missing', `no vulnerability database at ${path}`, {
      hint: 'run `bulkhead db update` first',
    });
  }

  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly });
  } catch (err) {
    throw new AppError('db-corrupt', `cannot open the vulnerability database ${path}`, {
      hint: 'run `bulkhead db update` to rebuild it',
      cause: err,
    });
  }

  try {
    const initialised = checkSchema(db, path);
    if (!initialised) {
      if (readonly) {
        throw new AppError('db-corrupt', `${path} is an empty database`, {
          hint: 'run `bulkhead db update` to rebuild it',
        });
      }
      createSchema(db);
    }
    if (!readonly) {
      // WAL lets scans read the previous data while an import is running.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
  } catch (err) {
    db.close();
    throw err;
  }
  return new VulnStore(db, path, log);
}

function toDbSource(row: SourceRow): DbSource {
  const source: DbSource = {
    ecosystem: row.source,
    location: row.location,
    importedAt: row.imported_at,
    records: row.records,
    withdrawn: row.withdrawn,
    skipped: row.skipped,
    sha256: row.sha256,
  };
  if (row.newest_modified) {
    source.newestModified = row.newest_modified;
  }
  return source;
}
