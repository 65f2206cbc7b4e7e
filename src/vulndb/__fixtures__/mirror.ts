/**
 * Test helpers: the real OSV mirror next to the repository, and small zips built on the fly.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** `/work/shared/vulndb` for a checkout at `/work/main`. */
export const MIRROR = resolve(repoRoot, '..', 'shared', 'vulndb');

const created: string[] = [];

/** A new temporary directory, removed by `removeTempDirs`. */
export function tempDir(prefix = 'bulkhead-vulndb-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Removes every directory `tempDir` made; call it from `afterAll`. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Names of the `.json` entries of a zip, read with `unzip -Z1`. */
export function jsonEntries(zipPath: string): string[] {
  const listing = execFileSync('unzip', ['-Z1', zipPath], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return listing.split('\n').filter((name) => name.endsWith('.json'));
}

/** Writes `files` into `<dir>/<ecosystem>/all.zip` (zip CLI) and returns the zip's path. */
export function makeZip(dir: string, ecosystem: string, files: Record<string, string>): string {
  const staging = tempDir('bulkhead-zip-');
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(staging, name), content);
  }
  mkdirSync(join(dir, ecosystem), { recursive: true });
  const zipPath = join(dir, ecosystem, 'all.zip');
  execFileSync('zip', ['-q', '-X', zipPath, ...Object.keys(files)], { cwd: staging });
  return zipPath;
}

/** A minimal valid OSV record for `npm` package `name`, fixed in `fixed`. */
export function npmRecord(id: string, name: string, fixed: string, extra: object = {}): string {
  return JSON.stringify({
    id,
    modified: '2024-01-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'npm', name },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }],
      },
    ],
    ...extra,
  });
}
