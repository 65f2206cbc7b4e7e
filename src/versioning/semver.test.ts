import { describe, expect, it } from 'vitest';

import { checkConformance } from './conformance.js';
import { semver } from './semver.js';
import { InvalidConstraintError, InvalidVersionError } from './types.js';

const SIGN = { '<': -1, '=': 0, '>': 1 } as const;

describe('versioning/semver', () => {
  it.each([
    // SemVer 2.0.0 section 11: pre-release identifiers, left to right
    ['1.0.0-alpha', '<', '1.0.0-alpha.1'],
    ['1.0.0-alpha.1', '<', '1.0.0-alpha.beta'],
    ['1.0.0-alpha.beta', '<', '1.0.0-beta'],
    ['1.0.0-beta', '<', '1.0.0-beta.2'],
    ['1.0.0-beta.2', '<', '1.0.0-beta.11'],
    ['1.0.0-beta.11', '<', '1.0.0-rc.1'],
    ['1.0.0-rc.1', '<', '1.0.0'],
    ['1.0.0-1', '<', '1.0.0-alpha'],
    ['1.0.0-a-b', '>', '1.0.0-a'],
    ['1.0.0-RC.1', '<', '1.0.0-rc.1'],
    ['1.0.0-x.7.z.92', '>', '1.0.0-x.7.z'],
    // build metadata never affects precedence
    ['1.0.0+a', '=', '1.0.0+b'],
    ['1.0.0+build.5', '=', '1.0.0'],
    ['1.0.0-rc.1+build.1', '<', '1.0.0+build.0'],
    // numeric parts and the tolerated `v`
    ['1.9.0', '<', '1.10.0'],
    ['2.0.0', '>', '1.99.99'],
    ['v1.2.3', '=', '1.2.3'],
  ] as const)('compare(%s, %s) is %s', (a, expected, b) => {
    const result = Math.sign(semver.compare(a, b));

    expect(result).toBe(SIGN[expected]);
  });

  it.each(['1.2.3', 'v1.2.3', '1.2.3-rc.1', '1.2.3+build', '1.2.3-0', '0.0.0'])(
    'accepts %j',
    (v) => {
      expect(semver.isValid(v)).toBe(true);
    },
  );

  it.each(['', '1.2', '1', '01.2.3', '1.2.3-01', '=1.2.3', 'vv1.2.3', 'V1.2.3', '1.2.3-a..b', 'x'])(
    'rejects %j',
    (input) => {
      expect(semver.isValid(input)).toBe(false);
      expect(() => semver.compare(input, '1.0.0')).toThrow(InvalidVersionError);
      expect(() => semver.compare('1.0.0', input)).toThrow(InvalidVersionError);
    },
  );

  it.each([
    ['1.4.2-rc.1', '>=1.0.0 <1.4.2', true],
    ['1.4.2', '>=1.0.0 <1.4.2', false],
    ['1.2.3', '^1.0.0', true],
    ['2.0.0-beta.1', '^1.0.0', false],
    ['1.2.3', '~1.2.0 || >=3', true],
    // with includePrerelease, `>=3` starts at 3.0.0-0, so pre-releases of 3.0.0 match
    ['3.0.0-alpha', '>=3', true],
    ['2.9.9', '>=3', false],
    ['1.0.0+build', '=1.0.0', true],
    ['1.2.3', '*', true],
  ] as const)('satisfies(%s, %j) is %s', (version, range, expected) => {
    const result = semver.satisfies(version, range);

    expect(result).toBe(expected);
  });

  it('satisfies rejects a range node-semver cannot read', () => {
    expect(() => semver.satisfies('1.0.0', '>=x y')).toThrow(InvalidConstraintError);
  });

  it('satisfies rejects an invalid version', () => {
    expect(() => semver.satisfies('1.0', '*')).toThrow(InvalidVersionError);
  });

  it('orders its samples as a total order', () => {
    const samples = [
      '0.0.0-0',
      ['0.0.0', '0.0.0+build'],
      '0.0.1',
      '0.1.0',
      '0.9.0',
      '0.10.0',
      '1.0.0-0',
      '1.0.0-1',
      '1.0.0-2',
      '1.0.0-10',
      '1.0.0-RC.1',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0-rc.1.1',
      ['1.0.0', 'v1.0.0', '1.0.0+a', '1.0.0+b', '1.0.0+20240101'],
      '1.0.1-alpha',
      '1.0.1',
      '1.2.3',
      '1.10.0',
      '2.0.0',
      '10.0.0',
    ];

    const problems = checkConformance(semver, samples);

    expect(problems).toEqual([]);
  });
});
