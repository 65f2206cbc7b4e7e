/**
 * `bulkhead db update`: brings the local index up to date from a directory or URL laid out like
 * OSV.dev's exports (`<base>/<Ecosystem>/all.zip`).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

import { AppError, isAppError } from '../core/errors/index.js';
import type { Logger } from '../core/logger.js';
import type { Progress } from '../core/progress.js';
import { importZip, sha256File, type ImportSummary } from './importer.js';
import { openStore, type VulnStore } from './store.js';

/** OSV.dev's public export bucket. */
export const DEFAULT_SOURCE = 'https://osv-vulnerabilities.storage.googleapis.com';

/** Ecosystems fetched from a URL source when none are named: what bulkhead's analyzers find. */
export const DEFAULT_URL_ECOSYSTEMS: readonly string[] = ['Debian', 'Alpine', 'npm'];

export interface UpdateDbOptions {
  cacheDir: string;
  /** A directory or an http(s) base URL. Default `DEFAULT_SOURCE`. */
  source?: string;
  /** Ecosystem directories to import. Default: all present (directory) or the URL defaults. */
  ecosystems?: string[];
  /** Import even when a zip's SHA-256 equals the one imported last time. */
  force?: boolean;
  log: Logger;
  progress: Progress;
}

/**
 * The cache directory: the explicit option, else `BULKHEAD_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/bulkhead`, else `~/.cache/bulkhead`.
 *
 * @example
 * resolveCacheDir(undefined, { XDG_CACHE_HOME: '/tmp/xdg' }); // '/tmp/xdg/bulkhead'
 */
export function resolveCacheDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) {
    return resolve(explicit);
  }
  if (env.BULKHEAD_CACHE_DIR) {
    return resolve(env.BULKHEAD_CACHE_DIR);
  }
  if (env.XDG_CACHE_HOME) {
    return resolve(env.XDG_CACHE_HOME, 'bulkhead');
  }
  return join(homedir(), '.cache', 'bulkhead');
}

/**
 * Where the index lives inside a cache directory.
 *
 * @example
 * dbPath('/home/me/.cache/bulkhead'); // '/home/me/.cache/bulkhead/db/bulkhead.db'
 */
export function dbPath(cacheDir: string): string {
  return join(cacheDir, 'db', 'bulkhead.db');
}

/**
 * Imports every requested ecosystem, one transaction each, and returns a summary per ecosystem.
 *
 * @example
 * const summaries = await updateDb({ cacheDir: resolveCacheDir(), source: '/mirror/vulndb',
 *   log, progress: noProgress });
 */
export async function updateDb(options: UpdateDbOptions): Promise<ImportSummary[]> {
  const source = options.source ?? DEFAULT_SOURCE;
  const isUrl = /^https?:\/\//i.test(source);
  const ecosystems = isUrl
    ? (options.ecosystems ?? [...DEFAULT_URL_ECOSYSTEMS])
    : pickEcosystems(source, await listDir(source), options.ecosystems);
  const store = await openForUpdate(dbPath(options.cacheDir), options.log);

  const summaries: ImportSummary[] = [];
  try {
    for (const ecosystem of ecosystems) {
      const summary = isUrl
        ? await updateFromUrl(store, source, ecosystem, options)
        : await updateFromFile(
            store,
            join(resolve(source), ecosystem, 'all.zip'),
            ecosystem,
            options,
          );
      options.log.info(
        `${ecosystem}: ${summary.unchanged ? 'unchanged' : `${summary.records} records`} in ${summary.seconds.toFixed(1)} s`,
      );
      summaries.push(summary);
    }
  } finally {
    store.close();
  }
  return summaries;
}

async function updateFromFile(
  store: VulnStore,
  zipPath: string,
  ecosystem: string,
  options: UpdateDbOptions,
  location = zipPath,
): Promise<ImportSummary> {
  const started = performance.now();
  if (!existsSync(zipPath)) {
    throw new AppError('db-source-invalid', `${zipPath} does not exist`, {
      hint: 'a source directory holds one <Ecosystem>/all.zip per ecosystem',
    });
  }
  const sha256 = await sha256File(zipPath);
  if (!options.force && store.sourceSha256(ecosystem) === sha256) {
    const seconds = (performance.now() - started) / 1000;
    const previous = store.status().sources.find((s) => s.ecosystem === ecosystem);
    return {
      ecosystem,
      records: previous?.records ?? 0,
      withdrawn: previous?.withdrawn ?? 0,
      skipped: previous?.skipped ?? 0,
      seconds,
      unchanged: true,
    };
  }
  const log = options.log;
  return importZip({
    store,
    zipPath,
    source: ecosystem,
    location,
    sha256,
    log,
    progress: options.progress,
  });
}

async function updateFromUrl(
  store: VulnStore,
  base: string,
  ecosystem: string,
  options: UpdateDbOptions,
): Promise<ImportSummary> {
  const url = `${base.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/all.zip`;
  const tmpDir = join(options.cacheDir, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const tmpFile = join(tmpDir, `${ecosystem}-${randomBytes(6).toString('hex')}.zip`);
  try {
    await download(url, tmpFile, options.log);
    return await updateFromFile(store, tmpFile, ecosystem, options, url);
  } finally {
    await rm(tmpFile, { force: true });
  }
}

async function download(url: string, file: string, log: Logger): Promise<void> {
  const hint = 'check the network or proxy, or import from a local mirror with --source DIR';
  let response: Response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new AppError('db-source-unreachable', `cannot fetch ${url}`, { hint, cause: err });
  }
  if (!response.ok || !response.body) {
    throw new AppError('db-source-unreachable', `${url} answered HTTP ${response.status}`, {
      hint,
    });
  }
  log.debug(`downloading ${url}`);
  try {
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    await pipeline(body, createWriteStream(file));
  } catch (err) {
    throw new AppError('db-source-unreachable', `download of ${url} broke off`, {
      hint,
      cause: err,
    });
  }
}

/** Ecosystem folders of a source directory: those holding an `all.zip`. */
/**
 * The requested ecosystems as the source directory spells them (`debian` finds `Debian`), or
 * all it holds when none are requested.
 */
function pickEcosystems(dir: string, present: string[], wanted: string[] | undefined): string[] {
  if (wanted === undefined) {
    return present;
  }
  return wanted.map((name) => {
    const found = present.find((p) => p.toLowerCase() === name.toLowerCase());
    if (found === undefined) {
      throw new AppError('db-source-invalid', `${dir} holds no ${name}/all.zip`, {
        hint: `it holds: ${present.join(', ')}`,
      });
    }
    return found;
  });
}

async function listDir(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new AppError('db-source-invalid', `cannot read the source directory ${dir}`, {
      hint: 'pass --source DIR with one <Ecosystem>/all.zip per ecosystem, or an http(s) URL',
      cause: err,
    });
  }
  const found: string[] = [];
  for (const name of names.sort()) {
    const info = await stat(join(dir, name, 'all.zip')).catch(() => undefined);
    if (info?.isFile()) {
      found.push(name);
    }
  }
  if (found.length === 0) {
    throw new AppError('db-source-invalid', `${dir} holds no <Ecosystem>/all.zip`, {
      hint: 'pass --source DIR with one <Ecosystem>/all.zip per ecosystem, or an http(s) URL',
    });
  }
  return found;
}

/**
 * Opens the index for writing. The file is a cache: one that is damaged or of another schema
 * version is deleted and rebuilt, which is what the `db-corrupt` hint asks the user to do.
 */
async function openForUpdate(file: string, log: Logger): Promise<VulnStore> {
  const dir = join(file, '..');
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new AppError(
      'usage',
      `cannot create the cache directory ${dir}: ${(err as Error).message}`,
      {
        hint: 'pass --cache-dir (or BULKHEAD_CACHE_DIR) naming a directory you can write',
        cause: err,
      },
    );
  }
  try {
    return openStore(file, { log });
  } catch (err) {
    if (!isAppError(err) || err.code !== 'db-corrupt') {
      throw err;
    }
    log.warn({ file, err }, 'vulnerability database unreadable; rebuilding it');
    for (const suffix of ['', '-wal', '-shm']) {
      await rm(`${file}${suffix}`, { force: true });
    }
    return openStore(file, { log });
  }
}
