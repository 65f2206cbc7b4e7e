import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { recordingContext, textFile } from '../shared/testing.js';
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
});
