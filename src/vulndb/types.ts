/** One imported data source (an OSV `all.zip` of one ecosystem). */
export interface DbSource {
  /** OSV ecosystem directory name (`Debian`, `npm`, `Alpine`). */
  ecosystem: string;
  /** Where it was read from: a URL or an absolute file path. */
  location: string;
  /** When bulkhead imported it (ISO 8601). */
  importedAt: string;
  /** Newest `modified` among its records (ISO 8601), a measure of the data's own age. */
  newestModified?: string;
  records: number;
  withdrawn: number;
  /** Records left out because they were not valid JSON or failed the OSV schema. */
  skipped?: number;
  /** SHA-256 of the zip, to skip re-imports of unchanged data. */
  sha256: string;
}

export interface DbStatus {
  path: string;
  schemaVersion: number;
  sources: DbSource[];
  /** Total advisories across sources. */
  records: number;
}
