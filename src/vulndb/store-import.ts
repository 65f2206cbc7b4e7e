/**
 * Replacing one source's records in the index. The transaction is opened with `BEGIN IMMEDIATE`
 * and stays open while the importer streams the zip, so records are inserted one by one with
 * prepared statements and nothing is visible until `commit`.
 */
import type Database from 'better-sqlite3';

import type { OsvRecord } from './osv-schema.js';

/** What the importer knows about the source once every record has been added. */
export interface SourceImportMeta {
  location: string;
  sha256: string;
  skipped: number;
}

/** Totals of a committed import. */
export interface SourceImportCounts {
  records: number;
  withdrawn: number;
  newestModified?: string;
}

/** One open import of one source. Created by `VulnStore.beginImport`. */
export class SourceImport {
  private readonly insertAdvisory: Database.Statement;
  private readonly insertAffected: Database.Statement;
  private records = 0;
  private withdrawn = 0;
  private newestModified: string | undefined;
  private finished = false;

  constructor(
    private readonly db: Database.Database,
    readonly source: string,
  ) {
    this.insertAdvisory = db.prepare(
      `INSERT INTO advisories (source, id, modified, withdrawn, record) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (source, id) DO UPDATE SET
         modified = excluded.modified, withdrawn = excluded.withdrawn, record = excluded.record
       WHERE excluded.modified > advisories.modified`,
    );
    this.insertAffected = db.prepare(
      'INSERT OR IGNORE INTO affected (ecosystem, name, source, advisory_id) VALUES (?, ?, ?, ?)',
    );
    db.exec('BEGIN IMMEDIATE');
    db.prepare('DELETE FROM affected WHERE source = ?').run(source);
    db.prepare('DELETE FROM advisories WHERE source = ?').run(source);
  }

  /**
   * Adds one validated record; `json` is stored as given so unknown fields survive.
   *
   * @example
   * tx.add(OsvRecord.parse(JSON.parse(text)), text);
   */
  add(record: OsvRecord, json: string): void {
    this.insertAdvisory.run(
      this.source,
      record.id,
      record.modified,
      record.withdrawn ?? null,
      json,
    );
    for (const affected of record.affected ?? []) {
      if (affected.package) {
        const { ecosystem, name } = affected.package;
        this.insertAffected.run(ecosystem, name, this.source, record.id);
      }
    }

    this.records += 1;
    if (record.withdrawn !== undefined) {
      this.withdrawn += 1;
    }
    if (this.newestModified === undefined || record.modified > this.newestModified) {
      this.newestModified = record.modified;
    }
  }

  /** Records the source row and makes the new records visible. */
  commit(meta: SourceImportMeta): SourceImportCounts {
    // A zip may hold one id twice (the newer copy wins in the table): count what is stored.
    const stored = this.db
      .prepare(
        `SELECT COUNT(*) AS records, COUNT(withdrawn) AS withdrawn FROM advisories WHERE source = ?`,
      )
      .get(this.source) as { records: number; withdrawn: number };
    this.records = stored.records;
    this.withdrawn = stored.withdrawn;
    this.db
      .prepare(
        `INSERT OR REPLACE INTO sources
           (source, location, imported_at, newest_modified, records, withdrawn, skipped, sha256)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        this.source,
        meta.location,
        new Date().toISOString(),
        this.newestModified ?? null,
        this.records,
        this.withdrawn,
        meta.skipped,
        meta.sha256,
      );
    this.db.exec('COMMIT');
    this.finished = true;
    // Fold the WAL back into the main file so it does not keep the size of a whole import.
    this.db.pragma('wal_checkpoint(TRUNCATE)');

    const counts: SourceImportCounts = { records: this.records, withdrawn: this.withdrawn };
    if (this.newestModified !== undefined) {
      counts.newestModified = this.newestModified;
    }
    return counts;
  }

  /** Drops everything added since `beginImport`; safe to call after a failed commit. */
  rollback(): void {
    if (this.finished) {
      return;
    }
    this.finished = true;
    if (this.db.inTransaction) {
      this.db.exec('ROLLBACK');
    }
  }
}
