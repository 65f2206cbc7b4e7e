import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { recordingContext, textFile } from '../shared/testing.js';
import { npmPackageJsonAnalyzer } from './npm-package-json.js';

const installed = (dir: string) =>
  readFileSync(new URL(`./__fixtures__/installed/${dir}/package.json`, import.meta.url));

function analyze(path: string, content: string | Buffer) {
  const { ctx, warnings } = recordingContext();
  const out = npmPackageJsonAnalyzer.analyze(textFile(path, content), ctx);
  return { set: out?.packageSets?.[0], pkg: out?.packageSets?.[0]?.packages[0], warnings };
}

describe('analyzers/languages/npm-package-json', () => {
  it.each([
    ['/app/node_modules/lodash/package.json', true],
    ['/app/node_modules/@types/semver/package.json', true],
    ['/app/node_modules/a/node_modules/b/package.json', true],
    ['/usr/lib/node_modules/npm/package.json', true],
    ['/app/node_modules/.pnpm/lodash@4.17.21/node_modules/lodash/package.json', true],
    ['/app/package.json', false],
    ['/app/node_modules/lodash/test/package.json', false],
    ['/app/node_modules/@types/package.json', false],
    ['/app/node_modules/@types/semver/lib/package.json', false],
    ['/app/node_modules/.bin/package.json', false],
    ['/app/node_modules/package.json', false],
    ['/app/node_modules/lodash/package.json.orig', false],
    ['/app/node_modules/lodash/index.js', false],
  ])('matches(%s) is %s', (path, expected) => {
    expect(npmPackageJsonAnalyzer.matches(path)).toBe(expected);
  });

  it.each([
    ['lodash', '/app/node_modules/lodash/package.json', 'lodash', '4.17.15', ['MIT']],
    [
      '@types/semver',
      '/app/node_modules/@types/semver/package.json',
      '@types/semver',
      '7.5.8',
      ['MIT'],
    ],
    // an alias directory holds the real package's package.json
    ['my-lodash', '/app/node_modules/my-lodash/package.json', 'lodash', '4.17.21', ['MIT']],
    [
      'json5-nested',
      '/app/node_modules/tsconfig-paths/node_modules/json5/package.json',
      'json5',
      '1.0.2',
      ['MIT'],
    ],
  ])('reads the real installed %s', (dir, path, name, version, licenses) => {
    const { set, pkg, warnings } = analyze(path, installed(dir));

    expect(warnings).toEqual([]);
    expect(set).toMatchObject({ source: 'npm-package-json', ecosystem: 'npm', path });
    expect(pkg).toMatchObject({ name, version, licenses, path, ecosystem: 'npm' });
  });

  it('sets a scoped purl', () => {
    const { pkg } = analyze(
      '/app/node_modules/@types/semver/package.json',
      installed('@types/semver'),
    );

    expect(pkg?.purl).toBe('pkg:npm/%40types/semver@7.5.8');
  });

  it.each([
    ['license string', { license: 'ISC' }, ['ISC']],
    ['license object', { license: { type: 'MIT', url: 'http://x' } }, ['MIT']],
    [
      'licenses array',
      { licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] },
      ['MIT', 'Apache-2.0'],
    ],
    ['a licence of the wrong type', { license: 42 }, undefined],
    ['no licence', {}, undefined],
  ])('reads licences from %s', (_label, fields, licenses) => {
    const json = JSON.stringify({ name: 'a', version: '1.0.0', ...fields });

    const { pkg } = analyze('/app/node_modules/a/package.json', json);

    expect(pkg?.licenses).toEqual(licenses);
  });

  it.each([
    ['missing name', '{\n  "version": "1.0.0"\n}\n', 'analyzer-entry-malformed', 1],
    ['missing version', '{\n  "name": "a"\n}\n', 'analyzer-entry-malformed', 1],
    [
      'invalid version',
      '{\n  "name": "a",\n  "version": "latest"\n}\n',
      'analyzer-entry-malformed',
      3,
    ],
    ['invalid JSON', '{\n  "name": "a",\n  "version": \n}\n', 'analyzer-file-unreadable', 4],
    ['not an object', '"just a string"', 'analyzer-file-unreadable', 1],
  ])('warns with file:line on %s and skips it', (_label, text, code, line) => {
    const path = '/app/node_modules/a/package.json';

    const { set, warnings } = analyze(path, text);

    expect(set).toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ code, location: `${path}:${line}` })]);
  });

  it('warns about binary garbage without a line', () => {
    const path = '/app/node_modules/a/package.json';

    const { set, warnings } = analyze(path, Buffer.from([0xff, 0x00, 0x12]));

    expect(set).toBeUndefined();
    expect(warnings).toMatchObject([{ code: 'analyzer-file-unreadable', location: path }]);
  });

  it.each([
    ['=1.2.5', '1.2.5'],
    ['v1.2.5', '1.2.5'],
    [' 1.2.5 ', '1.2.5'],
    ['1.2.5', '1.2.5'],
    ['1.0.0+build.7', '1.0.0+build.7'],
  ])('lists version %j as %j, which the matcher can parse', (version, listed) => {
    const json = JSON.stringify({ name: 'a', version });

    const { pkg, warnings } = analyze('/app/node_modules/a/package.json', json);

    expect(warnings).toEqual([]);
    expect(pkg).toMatchObject({ version: listed, purl: `pkg:npm/a@${listed.replace('+', '%2B')}` });
  });

  it.each(['01.2.5', 'v01.2.5', '1.2.3-beta.01'])(
    'skips the loosely valid version %j with a warning naming it',
    (version) => {
      const path = '/app/node_modules/a/package.json';
      const json = `{\n  "name": "a",\n  "version": ${JSON.stringify(version)}\n}\n`;

      const { set, warnings } = analyze(path, json);

      expect(set).toBeUndefined();
      expect(warnings).toEqual([
        {
          code: 'analyzer-entry-malformed',
          message: `package.json version "${version}" is not strict SemVer, so it cannot be matched; skipped`,
          location: `${path}:3`,
        },
      ]);
    },
  );

  describe('when JSON.parse overflows its stack', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('warns that the file is nested too deeply', () => {
      vi.spyOn(JSON, 'parse').mockImplementation(() => {
        throw new RangeError('Maximum call stack size exceeded');
      });
      const path = '/app/node_modules/a/package.json';

      const { set, warnings } = analyze(path, '{"name":"a"}');

      expect(set).toBeUndefined();
      expect(warnings).toEqual([
        { code: 'analyzer-file-unreadable', message: 'nested too deeply to parse', location: path },
      ]);
    });
  });
});
