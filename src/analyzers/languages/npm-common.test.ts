import { describe, expect, it } from 'vitest';

import { semver } from '../../versioning/semver.js';
import { isNpmVersion, npmVersion } from './npm-common.js';

describe('analyzers/languages/npm-common', () => {
  it.each([
    ['4.17.15', 'valid', '4.17.15'],
    ['=1.2.5', 'valid', '1.2.5'],
    ['v1.2.5', 'valid', '1.2.5'],
    ['=v1.2.5', 'valid', '1.2.5'],
    [' 1.2.5 ', 'valid', '1.2.5'],
    ['1.0.0-rc.1+build.5', 'valid', '1.0.0-rc.1+build.5'],
    ['01.2.5', 'loose', '01.2.5'],
    ['v01.2.5', 'loose', 'v01.2.5'],
    ['1.2.3-beta.01', 'loose', '1.2.3-beta.01'],
    ['1.2', 'invalid', '1.2'],
    ['latest', 'invalid', 'latest'],
    ['github:lodash/lodash#abc123', 'invalid', 'github:lodash/lodash#abc123'],
    ['file:../local-lib', 'invalid', 'file:../local-lib'],
    ['^1.2.3', 'invalid', '^1.2.3'],
  ])('npmVersion(%j) is %s %j', (raw, kind, version) => {
    expect(npmVersion(raw)).toEqual({ kind, version });
  });

  it.each(['4.17.15', '=1.2.5', 'v1.2.5', ' 1.2.5 ', '1.0.0-rc.1+build.5'])(
    'the matcher parses the version reported for %j',
    (raw) => {
      const checked = npmVersion(raw);

      expect(checked.kind).toBe('valid');
      expect(semver.isValid(checked.version)).toBe(true);
    },
  );

  it.each([
    ['=1.2.5', true],
    ['01.2.5', false],
    ['github:a/b', false],
  ])('isNpmVersion(%j) is %s', (raw, expected) => {
    expect(isNpmVersion(raw)).toBe(expected);
  });
});
