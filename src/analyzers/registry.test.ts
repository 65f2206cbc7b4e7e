import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { ANALYZERS, analyzersFor, analyzersMatching } from './registry.js';
import type { Analyzer } from './types.js';

const FAMILY_FOLDERS = ['os', 'packages', 'languages'];

function isAnalyzer(value: unknown): value is Analyzer {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Analyzer).id === 'string' &&
    typeof (value as Analyzer).matches === 'function' &&
    typeof (value as Analyzer).analyze === 'function'
  );
}

/** Every analyzer object exported by a source file of the family folders. */
async function exportedAnalyzers(): Promise<{ file: string; analyzer: Analyzer }[]> {
  const found: { file: string; analyzer: Analyzer }[] = [];
  for (const folder of FAMILY_FOLDERS) {
    const dir = new URL(`./${folder}/`, import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    for (const file of files) {
      const module = (await import(new URL(file, dir).href)) as Record<string, unknown>;
      for (const value of Object.values(module)) {
        if (isAnalyzer(value)) found.push({ file: `${folder}/${file}`, analyzer: value });
      }
    }
  }
  return found;
}

describe('analyzers/registry', () => {
  it('registers every analyzer exported from the analyzer folders', async () => {
    const exported = await exportedAnalyzers();

    const missing = exported.filter(({ analyzer }) => !ANALYZERS.includes(analyzer));

    expect(exported.length).toBeGreaterThan(0);
    expect(missing.map((m) => m.file)).toEqual([]);
  });

  it('has no id twice', () => {
    const ids = ANALYZERS.map((a) => a.id);

    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(ANALYZERS.map((a) => [a.id, a] as const))(
    '%s declares a positive version and size limit',
    (_id, analyzer) => {
      expect(Number.isInteger(analyzer.version) && analyzer.version > 0).toBe(true);
      expect(analyzer.maxFileSize).toBeGreaterThan(0);
    },
  );

  it.each([
    [undefined, ['os-release', 'dpkg', 'apk', 'npm-package-json', 'npm-lockfile']],
    [['os-packages'] as const, ['os-release', 'dpkg', 'apk']],
    [['language-packages'] as const, ['os-release', 'npm-package-json', 'npm-lockfile']],
  ])('analyzersFor(%j)', (groups, ids) => {
    const analyzers = analyzersFor(groups);

    expect(analyzers.map((a) => a.id)).toEqual(ids);
  });

  it.each([
    ['/var/lib/dpkg/status', ['dpkg']],
    ['/etc/os-release', ['os-release']],
    ['/app/node_modules/lodash/package.json', ['npm-package-json']],
    ['/app/node_modules/.package-lock.json', ['npm-lockfile']],
    ['/usr/bin/bash', []],
  ])('analyzersMatching(%s)', (path, ids) => {
    expect(analyzersMatching(ANALYZERS, path).map((a) => a.id)).toEqual(ids);
  });

  it.each([
    [
      'os-release',
      ['/etc/os-release', '/usr/lib/os-release', '/etc/debian_version', '/etc/alpine-release'],
    ],
    ['dpkg', ['/var/lib/dpkg/status']],
    ['apk', ['/lib/apk/db/installed']],
    ['npm-package-json', undefined],
    ['npm-lockfile', undefined],
  ])('%s requires the fixed paths %j', (id, paths) => {
    const analyzer = ANALYZERS.find((a) => a.id === id);

    expect(analyzer?.requiredPaths).toEqual(paths);
  });

  it.each(
    ANALYZERS.flatMap((a) => (a.requiredPaths ?? []).map((path) => [a.id, path, a] as const)),
  )('%s matches its own required path %s', (_id, path, analyzer) => {
    expect(analyzer.matches(path)).toBe(true);
  });

  it('keeps matches cheap enough for every file of every layer', () => {
    const paths = Array.from({ length: 200_000 }, (_, i) => `/usr/share/doc/pkg${i}/copyright`);

    const started = performance.now();
    let hits = 0;
    for (const path of paths) hits += analyzersMatching(ANALYZERS, path).length;
    const elapsed = performance.now() - started;

    expect(hits).toBe(0);
    // Generous bound (about 1µs per call here) so slow CI machines do not flake.
    expect(elapsed).toBeLessThan(2000);
  });
});
