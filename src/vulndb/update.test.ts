import { createReadStream, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { AppError } from '../core/errors/index.js';
import { silentLogger } from '../core/logger.js';
import { noProgress } from '../core/progress.js';
import { MIRROR, removeTempDirs, tempDir } from './__fixtures__/mirror.js';
import { openStore } from './store.js';
import { dbPath, resolveCacheDir, updateDb } from './update.js';

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a rejection');
}

describe('vulndb/update', () => {
  afterAll(removeTempDirs);

  describe('resolveCacheDir', () => {
    it.each([
      ['/opt/cache', { BULKHEAD_CACHE_DIR: '/env', XDG_CACHE_HOME: '/xdg' }, '/opt/cache'],
      [undefined, { BULKHEAD_CACHE_DIR: '/env', XDG_CACHE_HOME: '/xdg' }, '/env'],
      [undefined, { XDG_CACHE_HOME: '/xdg' }, '/xdg/bulkhead'],
      [undefined, {}, join(homedir(), '.cache', 'bulkhead')],
    ])('option %s, env %j → %s', (explicit, env, expected) => {
      expect(resolveCacheDir(explicit, env)).toBe(expected);
    });
  });

  describe('a URL source', () => {
    let server: Server;
    let base: string;
    const requested: string[] = [];

    beforeAll(async () => {
      server = createServer((req, res) => {
        requested.push(req.url ?? '');
        const file = join(MIRROR, decodeURIComponent(req.url ?? '/'));
        if (!req.url?.endsWith('/all.zip') || !existsSync(file)) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/zip' });
        createReadStream(file).pipe(res);
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise((done) => server.close(done));
    });

    it('downloads each ecosystem to the cache and imports it', async () => {
      const cacheDir = tempDir();

      const summaries = await updateDb({
        cacheDir,
        source: `${base}/`,
        ecosystems: ['npm', 'crates.io'],
        log: silentLogger,
        progress: noProgress,
      });
      const store = openStore(dbPath(cacheDir), { readonly: true });
      const location = store.status().sources.find((s) => s.ecosystem === 'npm')?.location;
      store.close();

      expect(summaries.map((s) => [s.ecosystem, s.records])).toEqual([
        ['npm', 1006],
        ['crates.io', 1206],
      ]);
      expect(location).toBe(`${base}/npm/all.zip`);
      expect(requested).toContain('/crates.io/all.zip');
      expect(readdirSync(join(cacheDir, 'tmp'))).toEqual([]);
    });

    it('answers db-source-unreachable for a missing export', async () => {
      const err = await rejection(
        updateDb({
          cacheDir: tempDir(),
          source: base,
          ecosystems: ['Nope'],
          log: silentLogger,
          progress: noProgress,
        }),
      );

      expect(err.code).toBe('db-source-unreachable');
      expect(err.message).toContain(`${base}/Nope/all.zip`);
    });
  });

  it('answers db-source-unreachable naming the URL when the host does not answer', async () => {
    const url = 'http://127.0.0.1:9';

    const err = await rejection(
      updateDb({ cacheDir: tempDir(), source: url, log: silentLogger, progress: noProgress }),
    );

    expect(err.code).toBe('db-source-unreachable');
    expect(err.message).toContain(`${url}/Debian/all.zip`);
    expect(err.hint).toContain('--source DIR');
  });

  it('rebuilds a damaged database file', async () => {
    const cacheDir = tempDir();
    mkdirSync(join(cacheDir, 'db'));
    writeFileSync(dbPath(cacheDir), 'this is not sqlite'.repeat(100));

    const summaries = await updateDb({
      cacheDir,
      source: MIRROR,
      ecosystems: ['NuGet'],
      log: silentLogger,
      progress: noProgress,
    });

    expect(summaries[0]).toMatchObject({ ecosystem: 'NuGet', records: 1 });
  });

  it('finds a requested ecosystem whatever its case, and names the ones a source holds', async () => {
    const cacheDir = tempDir();

    const summaries = await updateDb({
      cacheDir,
      source: MIRROR,
      ecosystems: ['NPM'],
      log: silentLogger,
      progress: noProgress,
    });
    const missing = await rejection(
      updateDb({
        cacheDir,
        source: MIRROR,
        ecosystems: ['cargo'],
        log: silentLogger,
        progress: noProgress,
      }),
    );

    expect(summaries.map((s) => s.ecosystem)).toEqual(['npm']);
    expect(missing.code).toBe('db-source-invalid');
    expect(missing.hint).toContain('crates.io');
  });

  it('answers a usage error when the cache directory cannot be made', async () => {
    const parent = tempDir();
    writeFileSync(join(parent, 'a-file'), 'not a directory');

    const err = await rejection(
      updateDb({
        cacheDir: join(parent, 'a-file'),
        source: MIRROR,
        ecosystems: ['npm'],
        log: silentLogger,
        progress: noProgress,
      }),
    );

    expect(err.code).toBe('usage');
    expect(err.message).toContain('cannot create the cache directory');
  });

  it('answers db-source-invalid for a directory without exports', async () => {
    const dir = tempDir();

    const err = await rejection(
      updateDb({ cacheDir: tempDir(), source: dir, log: silentLogger, progress: noProgress }),
    );

    expect(err.code).toBe('db-source-invalid');
    expect(err.message).toContain(dir);
  });
});
