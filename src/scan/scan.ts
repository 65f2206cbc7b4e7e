import { stat } from 'node:fs/promises';
import path from 'node:path';
import { analyzersFor } from '../analyzers/registry.js';
import { AppError, withContext } from '../core/errors/index.js';
import type { Logger } from '../core/logger.js';
import type { Progress } from '../core/progress.js';
import { openImage } from '../image/open.js';
import { walkDirectory, walkImage } from '../image/walker.js';
import type { Inventory } from '../inventory/types.js';
import type { Severity } from '../matchers/types.js';
import { matchInventory } from '../matchers/vulnerability-matcher.js';
import type { ScanReport } from '../report/model.js';
import { openStore } from '../vulndb/store.js';
import { dbPath, resolveCacheDir } from '../vulndb/update.js';
import { buildInventory } from './inventory-builder.js';
import { buildReport } from './report-builder.js';

export type ScanTarget =
  { kind: 'image'; ref: string; platform?: string | undefined } | { kind: 'fs'; dir: string };

export interface ScanOptions {
  cacheDir?: string | undefined;
  severities: Severity[];
  ignoreUnfixed: boolean;
  log: Logger;
  progress: Progress;
}

async function existingDirectory(dir: string): Promise<string> {
  const resolved = path.resolve(dir);
  const info = await stat(resolved).catch(() => undefined);
  if (info === undefined) {
    throw new AppError('input-not-found', `${dir} does not exist`, {
      hint: 'pass the directory to scan: an unpacked root filesystem or a project',
    });
  }
  if (!info.isDirectory()) {
    throw new AppError('input-unrecognized', `${dir} is not a directory`, {
      hint: 'use `bulkhead image FILE` for an image archive',
    });
  }
  return resolved;
}

async function inventoryOf(target: ScanTarget, options: ScanOptions): Promise<Inventory> {
  const log = options.log.child('image');
  const note = (message: string): void => log.info(message);
  const analyzers = analyzersFor();
  if (target.kind === 'fs') {
    const dir = path.resolve(target.dir);
    const walk = await walkDirectory(dir, analyzers, { log, progress: options.progress });
    return buildInventory(
      walk,
      { reference: target.dir, source: 'filesystem', repoTags: [], repoDigests: [], layers: [] },
      note,
    );
  }

  const image = await openImage(target.ref, {
    platform: target.platform,
    log,
    progress: options.progress,
  });
  try {
    const walk = await walkImage(image, analyzers, { log, progress: options.progress });
    return buildInventory(walk, image.metadata, note);
  } finally {
    await image.close();
  }
}

/**
 * The whole scan: open the vulnerability DB (first, so a missing DB fails before any image is
 * read), read the image or directory once, build the inventory, match it, and shape the report.
 *
 * @example
 * const report = await scan({ kind: 'image', ref: 'debian-app:1' }, {
 *   severities: ['HIGH', 'CRITICAL'], ignoreUnfixed: false, log, progress: noProgress,
 * });
 */
export async function scan(target: ScanTarget, options: ScanOptions): Promise<ScanReport> {
  if (target.kind === 'fs') {
    // A mistyped directory is the user's first problem, before a missing DB.
    await existingDirectory(target.dir);
  }
  const cacheDir = resolveCacheDir(options.cacheDir);
  const store = openStore(dbPath(cacheDir), { readonly: true, log: options.log.child('vuln') });
  try {
    const inventory = await inventoryOf(target, options);
    const matched = matchInventory(inventory, store, { log: options.log.child('vuln') });
    inventory.warnings.push(...matched.warnings);
    const sources = store.status().sources.map((s) => ({
      ecosystem: s.ecosystem,
      importedAt: s.importedAt,
      ...(s.newestModified ? { newestModified: s.newestModified } : {}),
    }));
    return buildReport(inventory, matched.findings, sources, {
      severities: options.severities,
      ignoreUnfixed: options.ignoreUnfixed,
    });
  } catch (err) {
    // Name the input in the message unless the source already did.
    const input = target.kind === 'image' ? target.ref : target.dir;
    throw err instanceof Error && err.message.includes(input) ? err : withContext(err, input);
  } finally {
    store.close();
  }
}
