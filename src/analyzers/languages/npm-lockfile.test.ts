import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { silentLogger } from '../../core/logger.js';
import { recordingContext, textFile } from '../shared/testing.js';
import { fileWarner } from '../shared/warnings.js';
import type { AnalyzedPackage } from '../types.js';
import {
  MAX_LOCKFILE_ENTRIES,
  walkDependencyTree,
  walkPackagesMap,
  type WalkContext,
} from './npm-lockfile-entries.js';
import { npmLockfileAnalyzer } from './npm-lockfile.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
const LOCK = '/app/package-lock.json';

function analyze(path: string, content: string | Buffer) {
  const { ctx, warnings } = recordingContext();
  const out = npmLockfileAnalyzer.analyze(textFile(path, content), ctx);
  const set = out?.packageSets?.[0];
  const ids = (set?.packages ?? []).map((p) => `${p.name}@${p.version}${p.dev ? ' dev' : ''}`);
  return { set, ids: ids.sort(), warnings };
}

/** What the fixture project installs, whatever the lockfile version. */
const INSTALLED = [
  '@types/json5@0.0.29',
  '@types/semver@7.5.8',
  'is-number@7.0.0 dev',
  'json5@1.0.2',
  'json5@2.2.1',
  'lodash@4.17.15',
  'lodash@4.17.21',
  'minimist@1.2.5',
  'minimist@1.2.8',
  'strip-bom@3.0.0',
  'tsconfig-paths@3.14.2',
];

describe('analyzers/languages/npm-lockfile', () => {
  it.each([
    ['/app/package-lock.json', true],
    ['/package-lock.json', true],
    ['/srv/app/npm-shrinkwrap.json', true],
    ['/app/node_modules/.package-lock.json', true],
    ['/app/node_modules/dep/package-lock.json', false],
    ['/app/node_modules/dep/npm-shrinkwrap.json', false],
    ['/app/node_modules/a/node_modules/.package-lock.json', false],
    ['/app/my-package-lock.json', false],
    ['/app/package-lock.json.bak', false],
    ['/app/package.json', false],
  ])('matches(%s) is %s', (path, expected) => {
    expect(npmLockfileAnalyzer.matches(path)).toBe(expected);
  });

  // v1 cannot say which version `file:local-lib` has, so local-lib is only in v2 and v3.
  it.each([
    ['package-lock-v1.json', INSTALLED],
    ['package-lock-v2.json', [...INSTALLED, 'local-lib@0.1.0'].sort()],
    ['package-lock-v3.json', [...INSTALLED, 'local-lib@0.1.0'].sort()],
  ])('reads the real npm lockfile %s', (name, expected) => {
    const { set, ids, warnings } = analyze(LOCK, fixture(name));

    expect(warnings).toEqual([]);
    expect(set).toMatchObject({ source: 'npm-lockfile', ecosystem: 'npm', path: LOCK });
    expect(ids).toEqual(expected);
  });

  it('tags the hidden lockfile with its own source', () => {
    const path = '/app/node_modules/.package-lock.json';

    const { set, ids } = analyze(path, fixture('hidden-package-lock.json'));

    expect(set?.source).toBe('npm-hidden-lockfile');
    expect(ids).toEqual([...INSTALLED, 'local-lib@0.1.0'].sort());
  });

  it('sets path, licences and a scoped purl', () => {
    const { set } = analyze(LOCK, fixture('package-lock-v3.json'));

    const semver = set?.packages.find((p) => p.name === '@types/semver');

    expect(semver).toEqual({
      name: '@types/semver',
      version: '7.5.8',
      ecosystem: 'npm',
      path: LOCK,
      dev: false,
      licenses: ['MIT'],
      purl: 'pkg:npm/%40types/semver@7.5.8',
    });
  });

  it.each([
    ['devOptional', { devOptional: true }, true],
    ['optional only', { optional: true }, false],
    ['dev', { dev: true }, true],
  ])('flags %s entries', (_label, flags, dev) => {
    const lock = {
      lockfileVersion: 3,
      packages: { 'node_modules/a': { version: '1.0.0', ...flags } },
    };

    const { set } = analyze(LOCK, JSON.stringify(lock));

    expect(set?.packages[0]?.dev).toBe(dev);
  });

  it('keeps a release used by dev and prod once, as prod', () => {
    const packages = {
      'node_modules/a': { version: '1.0.0' },
      'node_modules/b/node_modules/a': { version: '1.0.0', dev: true },
    };

    const { ids } = analyze(LOCK, JSON.stringify({ lockfileVersion: 2, packages }));

    expect(ids).toEqual(['a@1.0.0']);
  });

  it('skips links that point nowhere and git versions in v1 without warning', () => {
    const packages = { 'node_modules/gone': { resolved: 'packages/gone', link: true } };
    const v1 = { dependencies: { g: { version: 'github:user/g#0123abc' } } };

    const a = analyze(LOCK, JSON.stringify({ lockfileVersion: 3, packages }));
    const b = analyze(LOCK, JSON.stringify({ lockfileVersion: 1, ...v1 }));

    expect([...a.ids, ...b.ids, ...a.warnings, ...b.warnings]).toEqual([]);
  });

  it.each([
    [
      'v3 entry without a version',
      '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": {\n      "dev": true\n    }\n  }\n}\n',
      'analyzer-entry-malformed',
      4,
    ],
    [
      'nested v1 entry without a version',
      '{\n  "lockfileVersion": 1,\n  "dependencies": {\n    "a": {\n      "version": "1.0.0",\n      "dependencies": {\n        "b": {}\n      }\n    }\n  }\n}\n',
      'analyzer-entry-malformed',
      7,
    ],
    [
      'unknown lockfileVersion',
      '{\n  "name": "x",\n  "lockfileVersion": 4,\n  "packages": {}\n}\n',
      'analyzer-format-unsupported',
      3,
    ],
    [
      'invalid JSON',
      '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/a": {,\n',
      'analyzer-file-unreadable',
      4,
    ],
  ])('warns with file:line on %s and does not throw', (_label, text, code, line) => {
    const { warnings } = analyze(LOCK, text);

    expect(warnings).toMatchObject([{ code, location: `${LOCK}:${line}` }]);
  });

  it.each([
    ['binary garbage', Buffer.from([0x00, 0x01, 0x7b, 0xff])],
    ['a JSON array', '[1, 2]'],
    ['an empty file', ''],
  ])('warns that %s is unreadable and returns nothing', (_label, content) => {
    const { set, warnings } = analyze(LOCK, content);

    expect(set).toBeUndefined();
    expect(warnings).toMatchObject([{ code: 'analyzer-file-unreadable' }]);
  });

  describe('with many malformed entries', () => {
    /** A walk context that counts line lookups, with the real per-file warner. */
    function countingWalk() {
      const { ctx, warnings } = recordingContext();
      const added: AnalyzedPackage[] = [];
      const counts = { lookups: 0 };
      const walk: WalkContext = {
        lineOfKey: () => {
          counts.lookups += 1;
          return 1;
        },
        path: LOCK,
        warn: fileWarner(ctx, LOCK),
        log: silentLogger,
        add: (pkg) => added.push(pkg),
      };
      return { walk, warnings, added, counts };
    }

    const many = (n: number, key: (i: number) => string) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [key(i), 1]));

    it.each([
      [
        'v3 packages map',
        (w: WalkContext) =>
          walkPackagesMap(
            many(50_000, (i) => `node_modules/a${i}`),
            w,
          ),
      ],
      [
        'v1 dependency tree',
        (w: WalkContext) =>
          walkDependencyTree(
            many(50_000, (i) => `a${i}`),
            w,
          ),
      ],
    ])('looks up lines only for the warnings kept: %s', (_label, run) => {
      const { walk, warnings, counts } = countingWalk();

      run(walk);

      expect(counts.lookups).toBe(20);
      expect(warnings).toHaveLength(21);
    });

    it.each([
      ['v3', (i: number) => `"node_modules/a${i}":1`, '{"lockfileVersion":3,"packages":{', 5],
      ['v1', (i: number) => `"a${i}":1`, '{"lockfileVersion":1,"dependencies":{', 5],
    ])('reads a %s lockfile of 200,000 of them in linear time', (_label, entry, head, line) => {
      const text = `${head}\n${Array.from({ length: 200_000 }, (_, i) => entry(i)).join(',\n')}}}`;

      const started = performance.now();
      const { ids, warnings } = analyze(LOCK, text);
      const elapsed = performance.now() - started;

      expect(ids).toEqual([]);
      expect(warnings).toHaveLength(21);
      expect(warnings[3]?.location).toBe(`${LOCK}:${line}`);
      // The quadratic version took minutes; this takes about a second. Generous for slow CI.
      expect(elapsed).toBeLessThan(30_000);
    });
  });

  describe('entry cap', () => {
    it.each([
      ['v3 under the cap', { 'node_modules/a': { version: '1.0.0' } }, 2, { read: 1, notRead: 0 }],
      [
        'v3 over the cap',
        {
          'node_modules/a': { version: '1.0.0' },
          'node_modules/b': { version: '1.0.0' },
          'node_modules/c': { version: '1.0.0' },
        },
        2,
        { read: 2, notRead: 1 },
      ],
    ])('walkPackagesMap: %s', (_label, packages, max, summary) => {
      const added: string[] = [];
      const { ctx } = recordingContext();
      const walk: WalkContext = {
        lineOfKey: () => undefined,
        path: LOCK,
        warn: fileWarner(ctx, LOCK),
        log: silentLogger,
        add: (pkg) => added.push(pkg.name),
      };

      const result = walkPackagesMap(packages, walk, max);

      expect(result).toEqual(summary);
      expect(added).toHaveLength(summary.read);
    });

    it('walkDependencyTree counts the nested entries past the cap', () => {
      const tree = {
        a: { version: '1.0.0', dependencies: { b: { version: '1.0.0' } } },
        c: { version: '1.0.0', dependencies: { d: { version: '1.0.0' }, e: 1 } },
      };
      const added: string[] = [];
      const { ctx } = recordingContext();
      const walk: WalkContext = {
        lineOfKey: () => undefined,
        path: LOCK,
        warn: fileWarner(ctx, LOCK),
        log: silentLogger,
        add: (pkg) => added.push(pkg.name),
      };

      const result = walkDependencyTree(tree, walk, 2);

      expect(result).toEqual({ read: 2, notRead: 3 });
      expect(added).toEqual(['a', 'b']);
    });

    it('reads at most MAX_LOCKFILE_ENTRIES entries and says how many were left', () => {
      // Cheap filler (workspace folders, read and skipped) up to the cap, then 3 entries past it.
      const filler = Array.from({ length: MAX_LOCKFILE_ENTRIES - 1 }, (_, i) => [`ws/w${i}`, {}]);
      const late = [1, 2, 3].map((i) => [`node_modules/late${i}`, { version: '1.0.0' }]);
      const packages = Object.fromEntries([
        ['node_modules/first', { version: '1.0.0' }],
        ...filler,
        ...late,
      ]);

      const { ids, warnings } = analyze(LOCK, JSON.stringify({ lockfileVersion: 3, packages }));

      expect(ids).toEqual(['first@1.0.0']);
      expect(warnings).toEqual([
        {
          code: 'analyzer-entries-truncated',
          message: `more than ${MAX_LOCKFILE_ENTRIES} entries; the last 3 were not read`,
          location: LOCK,
        },
      ]);
    });
  });

  describe('loose versions', () => {
    it.each([
      ['=1.2.5', ['a@1.2.5']],
      ['v1.2.5', ['a@1.2.5']],
      ['1.2.5', ['a@1.2.5']],
    ])('v3 %j is listed as %j', (version, expected) => {
      const lock = { lockfileVersion: 3, packages: { 'node_modules/a': { version } } };

      const { ids, warnings } = analyze(LOCK, JSON.stringify(lock));

      expect(ids).toEqual(expected);
      expect(warnings).toEqual([]);
    });

    it.each([
      ['v3', '01.2.5', 4],
      ['v3', '1.2.3-beta.01', 4],
      ['v1', '01.2.5', 4],
      ['v1', 'npm:lodash@01.2.5', 4],
    ])('%s version %j is skipped with a warning naming it', (kind, version, line) => {
      const lock =
        kind === 'v3'
          ? { lockfileVersion: 3, packages: { 'node_modules/a': { version } } }
          : { lockfileVersion: 1, dependencies: { a: { version } } };

      const { ids, warnings } = analyze(LOCK, JSON.stringify(lock, null, 1));

      expect(ids).toEqual([]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({
        code: 'analyzer-entry-malformed',
        location: `${LOCK}:${line}`,
      });
      expect(warnings[0]?.message).toContain(`"${version.replace('npm:lodash@', '')}"`);
    });

    it('lists v1 "=" versions cleaned, aliases included', () => {
      const dependencies = {
        a: { version: '=1.2.5' },
        'my-lodash': { version: 'npm:lodash@v4.17.21' },
      };

      const { ids, warnings } = analyze(LOCK, JSON.stringify({ lockfileVersion: 1, dependencies }));

      expect(ids).toEqual(['a@1.2.5', 'lodash@4.17.21']);
      expect(warnings).toEqual([]);
    });
  });

  describe('deep nesting', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('walks a v1 tree nested 20,000 levels without running out of stack', () => {
      const depth = 20_000;
      let text = '{}';
      for (let i = depth - 1; i >= 0; i -= 1) {
        text = `{"a${i}":{"version":"1.0.${i}","dependencies":${text}}}`;
      }

      const { ids, warnings } = analyze(LOCK, `{"lockfileVersion":1,"dependencies":${text}}`);

      expect(warnings).toEqual([]);
      expect(ids).toHaveLength(depth);
      expect(ids).toContain(`a${depth - 1}@1.0.${depth - 1}`);
    });

    it('locates a malformed entry at the bottom of a deep tree', () => {
      let tree = '{\n"bad": 1\n}';
      for (let i = 0; i < 1000; i += 1) {
        tree = `{\n"a": {\n"version": "1.0.0",\n"dependencies": ${tree}}}`;
      }

      const { warnings } = analyze(LOCK, `{"lockfileVersion": 1, "dependencies": ${tree}}`);

      expect(warnings).toMatchObject([
        { code: 'analyzer-entry-malformed', location: `${LOCK}:${1000 * 3 + 2}` },
      ]);
    });

    it('reports a lockfile JSON.parse cannot nest into as unreadable, not a crash', () => {
      vi.spyOn(JSON, 'parse').mockImplementation(() => {
        throw new RangeError('Maximum call stack size exceeded');
      });

      const { set, warnings } = analyze(LOCK, '{"lockfileVersion":1}');

      expect(set).toBeUndefined();
      expect(warnings).toEqual([
        {
          code: 'analyzer-file-unreadable',
          message: 'lockfile is nested too deeply to parse; skipped',
          location: LOCK,
        },
      ]);
    });
  });
});
