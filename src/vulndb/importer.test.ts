import { copyFileSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AppError } from '../core/errors/index.js';
import { createLogger, memorySink, silentLogger } from '../core/logger.js';
import { noProgress, type Progress } from '../core/progress.js';
import {
  MIRROR,
  jsonEntries,
  makeZip,
  npmRecord,
  removeTempDirs,
  tempDir,
} from './__fixtures__/mirror.js';
import { importZip, sha256File } from './importer.js';
import { openStore } from './store.js';
import { dbPath, updateDb } from './update.js';

const ECOSYSTEMS = ['npm', 'Debian', 'Go'];

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a rejection');
}

describe('vulndb/importer', () => {
  afterAll(removeTempDirs);

  describe('the real mirror', () => {
    const cacheDir = tempDir();
    let summaries: Awaited<ReturnType<typeof updateDb>>;
    const advanced = new Map<string, number>();
    const progress: Progress = {
      start: (label) => ({
        update: () => undefined,
        advance: (delta) => advanced.set(label, (advanced.get(label) ?? 0) + delta),
        done: () => undefined,
      }),
    };

    beforeAll(async () => {
      summaries = await updateDb({
        cacheDir,
        source: MIRROR,
        ecosystems: ECOSYSTEMS,
        log: silentLogger,
        progress,
      });
    }, 120_000);

    it.each(ECOSYSTEMS)('imports every record of %s (entries minus skipped)', (ecosystem) => {
      const summary = summaries.find((s) => s.ecosystem === ecosystem);
      const entries = jsonEntries(join(MIRROR, ecosystem, 'all.zip')).length;

      expect(summary?.records).toBe(entries - (summary?.skipped ?? 0));
      expect(summary?.unchanged).toBe(false);
      expect(advanced.get(`importing ${ecosystem}`)).toBe(entries);
    });

    it('flags withdrawn records and leaves them out of lookups', () => {
      const store = openStore(dbPath(cacheDir), { readonly: true });
      const go = store.status().sources.find((s) => s.ecosystem === 'Go');
      // GO-2022-0617 (k8s.io/kubernetes) was withdrawn on 2024-08-21.
      const ids = store.findAdvisories('Go', 'k8s.io/kubernetes').map((r) => r.id);
      store.close();

      expect(go?.withdrawn).toBe(17);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids).not.toContain('GO-2022-0617');
    });

    it('finds GHSA-p6mc-m468-83gw for npm lodash', () => {
      const store = openStore(dbPath(cacheDir), { readonly: true });
      const lodash = store
        .findAdvisories('npm', 'lodash')
        .find((r) => r.id === 'GHSA-p6mc-m468-83gw');
      store.close();

      expect(lodash?.aliases).toEqual(['CVE-2020-8203']);
    });

    it('skips an unchanged zip unless forced', async () => {
      const again = await updateDb({
        cacheDir,
        source: MIRROR,
        ecosystems: ['npm'],
        log: silentLogger,
        progress: noProgress,
      });
      const forced = await updateDb({
        cacheDir,
        source: MIRROR,
        ecosystems: ['npm'],
        force: true,
        log: silentLogger,
        progress: noProgress,
      });

      expect(again[0]).toMatchObject({ ecosystem: 'npm', unchanged: true, records: 1006 });
      expect(forced[0]).toMatchObject({ ecosystem: 'npm', unchanged: false, records: 1006 });
    });
  });

  describe('damaged input', () => {
    async function importInto(zipPath: string, log = silentLogger) {
      const store = openStore(join(tempDir(), 'bulkhead.db'), { log });
      try {
        const sha256 = await sha256File(zipPath);
        return await importZip({
          store,
          zipPath,
          source: 'npm',
          location: zipPath,
          sha256,
          log,
          progress: noProgress,
        });
      } finally {
        store.close();
      }
    }

    it('counts, logs and skips malformed records', async () => {
      const zipPath = makeZip(tempDir(), 'npm', {
        'GHSA-good.json': npmRecord('GHSA-good', 'left-pad', '1.3.0'),
        'BAD-json.json': '{ "id": "BAD-json", ',
        'BAD-schema.json': JSON.stringify({ id: 'BAD-schema', affected: 'nope' }),
      });
      const { sink, records } = memorySink();

      const summary = await importInto(zipPath, createLogger({ level: 'info', sink }));

      expect(summary).toMatchObject({ records: 1, skipped: 2, withdrawn: 0 });
      expect(records).toContainEqual(
        expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ skipped: 2 }) }),
      );
    });

    it.each([
      ['random bytes', (dir: string) => writeRandom(dir)],
      ['a truncated real zip', (dir: string) => truncate(dir)],
      [
        'a zip without JSON records',
        (dir: string) => makeZip(dir, 'npm', { 'README.txt': 'hello' }),
      ],
    ])('refuses %s with db-source-invalid naming the file', async (_what, prepare) => {
      const zipPath = prepare(tempDir());

      const err = await rejection(importInto(zipPath));

      expect(err).toBeInstanceOf(AppError);
      expect(err.code).toBe('db-source-invalid');
      expect(err.message).toContain(zipPath);
    });

    it('keeps the previous records when an import fails half-way', async () => {
      const dir = tempDir();
      const cacheDir = tempDir();
      await updateDb({
        cacheDir,
        source: MIRROR,
        ecosystems: ['npm'],
        log: silentLogger,
        progress: noProgress,
      });
      mkdirSync(join(dir, 'npm'));
      const damaged = join(dir, 'npm', 'all.zip');
      const bytes = readFileSync(join(MIRROR, 'npm', 'all.zip'));
      // Overwrite compressed data in the middle; the central directory at the end stays intact.
      randomBytes(4096).copy(bytes, Math.floor(bytes.length / 2));
      writeFileSync(damaged, bytes);

      const err = await rejection(
        updateDb({ cacheDir, source: dir, log: silentLogger, progress: noProgress }),
      );
      const store = openStore(dbPath(cacheDir), { readonly: true });
      const ids = store.findAdvisories('npm', 'lodash').map((r) => r.id);
      const npm = store.status().sources.find((s) => s.ecosystem === 'npm');
      store.close();

      expect(err.code).toBe('db-source-invalid');
      expect(ids).toContain('GHSA-p6mc-m468-83gw');
      expect(npm?.records).toBe(1006);
    });
  });

  it('counts a record id that a zip holds twice once, keeping the newer copy', async () => {
    const dir = tempDir();
    makeZip(dir, 'npm', {
      'DUP-1.json': npmRecord('DUP-1', 'left-pad', '1.3.0', { modified: '2024-06-01T00:00:00Z' }),
      'DUP-1-old.json': npmRecord('DUP-1', 'left-pad', '1.3.0', {
        withdrawn: '2024-01-02T00:00:00Z',
      }),
      'OTHER-1.json': npmRecord('OTHER-1', 'left-pad', '1.2.0'),
    });
    const cacheDir = tempDir();

    const [summary] = await updateDb({
      cacheDir,
      source: dir,
      log: silentLogger,
      progress: noProgress,
    });
    const store = openStore(dbPath(cacheDir), { readonly: true });
    const status = store.status();
    const ids = store.findAdvisories('npm', 'left-pad').map((r) => r.id);
    store.close();

    expect(summary).toMatchObject({ records: 2, withdrawn: 0 });
    expect(status.sources[0]).toMatchObject({ records: 2, withdrawn: 0 });
    expect(ids).toEqual(['DUP-1', 'OTHER-1']);
  });
});

function writeRandom(dir: string): string {
  const path = join(dir, 'all.zip');
  writeFileSync(path, randomBytes(64 * 1024));
  return path;
}

function truncate(dir: string): string {
  const path = join(dir, 'all.zip');
  copyFileSync(join(MIRROR, 'npm', 'all.zip'), path);
  const bytes = readFileSync(path);
  writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
  return path;
}
