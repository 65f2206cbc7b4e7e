import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

import { AppError } from '../core/errors/index.js';
import { removeTempDirs, tempDir } from './__fixtures__/mirror.js';
import { OsvRecord } from './osv-schema.js';
import { SCHEMA_VERSION } from './store-schema.js';
import { openStore } from './store.js';

function record(id: string, name: string, extra: object = {}): { parsed: OsvRecord; json: string } {
  const raw = {
    id,
    modified: '2024-02-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'npm', name } }],
    ...extra,
  };
  return { parsed: OsvRecord.parse(raw), json: JSON.stringify(raw) };
}

function fill(path: string, records: { parsed: OsvRecord; json: string }[]): void {
  const store = openStore(path);
  const tx = store.beginImport('npm');
  for (const { parsed, json } of records) {
    tx.add(parsed, json);
  }
  tx.commit({ location: '/mirror/npm/all.zip', sha256: 'abc', skipped: 2 });
  store.close();
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected an error');
}

describe('vulndb/store', () => {
  afterAll(removeTempDirs);

  it('creates an empty index with the current schema version', () => {
    const path = join(tempDir(), 'bulkhead.db');

    const store = openStore(path);
    const status = store.status();
    store.close();

    expect(status).toEqual({ path, schemaVersion: SCHEMA_VERSION, sources: [], records: 0 });
  });

  it('finds records by ecosystem and name, leaves withdrawn ones out, and reports status', () => {
    const path = join(tempDir(), 'bulkhead.db');
    fill(path, [
      record('GHSA-b', 'left-pad'),
      record('GHSA-a', 'left-pad', { modified: '2024-03-01T00:00:00Z' }),
      record('GHSA-w', 'left-pad', { withdrawn: '2024-01-05T00:00:00Z' }),
      record('GHSA-c', 'other'),
    ]);

    const store = openStore(path, { readonly: true });
    const ids = store.findAdvisories('npm', 'left-pad').map((r) => r.id);
    const status = store.status();
    const hasNpm = store.hasEcosystem('npm');
    const hasPyPI = store.hasEcosystem('PyPI');
    store.close();

    expect(ids).toEqual(['GHSA-a', 'GHSA-b']);
    expect(status.records).toBe(4);
    expect(status.sources).toEqual([
      expect.objectContaining({
        ecosystem: 'npm',
        records: 4,
        withdrawn: 1,
        skipped: 2,
        sha256: 'abc',
        newestModified: '2024-03-01T00:00:00Z',
      }),
    ]);
    expect([hasNpm, hasPyPI]).toEqual([true, false]);
  });

  it('returns the same parsed object for a record while the store is open', () => {
    const path = join(tempDir(), 'bulkhead.db');
    fill(path, [record('GHSA-a', 'x'), record('GHSA-b', 'y', { aliases: ['GHSA-a'] })]);
    const store = openStore(path, { readonly: true });

    const first = store.findAdvisories('npm', 'x')[0];
    const second = store.findAdvisories('npm', 'x')[0];
    store.close();

    expect(first).toBe(second);
  });

  it('keeps the previous records when an import is rolled back', () => {
    const path = join(tempDir(), 'bulkhead.db');
    fill(path, [record('GHSA-a', 'x')]);
    const store = openStore(path);

    const tx = store.beginImport('npm');
    tx.add(record('GHSA-new', 'x').parsed, record('GHSA-new', 'x').json);
    tx.rollback();
    const ids = store.findAdvisories('npm', 'x').map((r) => r.id);
    store.close();

    expect(ids).toEqual(['GHSA-a']);
  });

  it.each([
    [
      'random bytes',
      (path: string) => writeFileSync(path, randomBytes(8192)),
      'not a SQLite database',
    ],
    [
      'another SQLite database',
      (path: string) => {
        const db = new Database(path);
        db.exec('CREATE TABLE notes (body TEXT)');
        db.close();
      },
      'not a bulkhead vulnerability database',
    ],
    [
      'an older schema version',
      (path: string) => {
        openStore(path).close();
        const db = new Database(path);
        db.prepare("UPDATE meta SET value = '0' WHERE key = 'schemaVersion'").run();
        db.close();
      },
      'schema version 0',
    ],
  ])('refuses %s with db-corrupt and a hint to update', (_what, prepare, message) => {
    const path = join(tempDir(), 'bulkhead.db');
    prepare(path);

    const err = thrown(() => openStore(path, { readonly: true }));

    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('db-corrupt');
    expect(err.message).toContain(message);
    expect(err.hint).toContain('bulkhead db update');
  });

  it('answers db-missing for a read-only open of a missing file', () => {
    const err = thrown(() => openStore(join(tempDir(), 'none.db'), { readonly: true }));

    expect(err.code).toBe('db-missing');
    expect(err.hint).toContain('bulkhead db update');
  });
});
