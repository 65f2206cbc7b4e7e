import { describe, expect, it } from 'vitest';

import { checkConformance } from './conformance.js';
import { dpkg, parseDpkgVersion } from './dpkg.js';
import { InvalidConstraintError, InvalidVersionError } from './types.js';

const SIGN = { '<': -1, '=': 0, '>': 1 } as const;

describe('versioning/dpkg', () => {
  it.each([
    // epochs
    ['1:1.0', '>', '2.0'],
    ['0:1.0', '=', '1.0'],
    ['00:1.0', '=', '1.0'],
    ['1:2.0', '>', '1:2'],
    ['2:0', '>', '1:99999999999999999999'],
    // `~` sorts before everything, even the end of the part
    ['1.0~rc1', '<', '1.0'],
    ['1.0~~', '<', '1.0~'],
    ['1.0~~a', '>', '1.0~~'],
    ['1.0~', '<', '1.0'],
    ['1.0.0~beta10', '>', '1.0.0~beta9'],
    ['1.0+~', '<', '1.0+'],
    ['~1', '<', '1'],
    // revisions and binNMUs
    ['1.0', '=', '1.0-0'],
    ['1.0-1', '=', '1.0-01'],
    ['1.0-1', '<', '1.0-1+b1'],
    ['1.0-1+b1', '<', '1.0-1.1'],
    ['1.0-1+b1', '<', '1.0-2'],
    ['1.2.3-1-1', '>', '1.2.3-1.1'],
    ['1.0-1~bpo12+1', '<', '1.0-1'],
    ['1.0-0ubuntu1', '<', '1.0-1'],
    // stable updates
    ['2.36-9+deb12u1', '<', '2.36-9+deb12u2'],
    ['2.36-9+deb12u9', '<', '2.36-9+deb12u10'],
    ['2.36-9+deb12u2', '>', '2.36-9'],
    ['3.0.11-1~deb12u2', '<', '3.0.11-1'],
    // letters sort before non-letters, digit runs compare numerically
    ['1.0a', '>', '1.0'],
    ['1.0a', '<', '1.0+'],
    ['1.0+', '<', '1.0.'],
    ['1.0Z', '<', '1.0a'],
    ['1.0.1', '>', '1.0a'],
    ['1.0', '=', '1.00'],
    ['1.010', '=', '1.10'],
    ['1.9', '<', '1.10'],
    ['1.0', '<', '1.0.0'],
    ['1:1:1', '>', '1:1'],
  ] as const)('compare(%s, %s) is %s', (a, expected, b) => {
    const result = Math.sign(dpkg.compare(a, b));

    expect(result).toBe(SIGN[expected]);
  });

  it.each([
    ['1:2.36-9+deb12u4', 1, '2.36', '9+deb12u4'],
    ['2.36', 0, '2.36', ''],
    ['1.2.3-1-1', 0, '1.2.3-1', '1'],
    ['1:1:1', 1, '1:1', ''],
    [' 1.0-1\t', 0, '1.0', '1'],
  ] as const)(
    'parse(%j) is epoch %i, upstream %s, revision %j',
    (input, epoch, upstream, revision) => {
      const parsed = parseDpkgVersion(input);

      expect(parsed).toEqual({ epoch, upstream, revision });
    },
  );

  // dpkg 1.21 refuses these with an error (exit 2 in `dpkg --compare-versions`).
  it.each([
    '',
    '   ',
    ':1.0',
    'x:1.0',
    '1:',
    '1.0-',
    '-1',
    '1:-1',
    '1.0 a',
    '1.0-1:2',
    '-1:1.0',
    '2147483648:1',
    '1.0ü',
  ])('rejects %j', (input) => {
    const valid = dpkg.isValid(input);

    expect(valid).toBe(false);
    expect(() => dpkg.compare(input, '1.0')).toThrow(InvalidVersionError);
    expect(() => dpkg.compare('1.0', input)).toThrow(InvalidVersionError);
  });

  // dpkg only warns about these and still compares them, so we accept them and keep the warning.
  it.each([
    ['a1.0', 'version number does not start with digit'],
    ['1:~1', 'version number does not start with digit'],
    ['1.0_x', 'invalid character in version number'],
    ['1.0-1_x', 'invalid character in revision number'],
    ['2147483647:1', undefined],
    ['+1:1.0', undefined],
  ] as const)('accepts %j with warning %j', (input, warning) => {
    const parsed = parseDpkgVersion(input);

    expect(dpkg.isValid(input)).toBe(true);
    expect(parsed.warning).toBe(warning);
  });

  it.each([
    ['2.36-9+deb12u4', '>= 2.36-9+deb12u3, << 2.37', true],
    ['2.36-9+deb12u4', '>> 2.36-9+deb12u4', false],
    ['2.36-9+deb12u4', '= 2.36-9+deb12u4', true],
    ['1:1.0', '>= 2.0', true],
    ['1.0~rc1', '<< 1.0', true],
    ['1.0', '<= 1.0', true],
    ['1.0', '>=1.0,<<1.1', true],
    // deprecated bare `<` and `>` mean `<=` and `>=` in dpkg, not strict comparisons
    ['1.0', '< 1.0', true],
    ['1.0', '> 1.0', true],
    ['1.1', '< 1.0', false],
    ['0.9', '> 1.0', false],
  ] as const)('satisfies(%s, %j) is %s', (version, constraint, expected) => {
    const result = dpkg.satisfies(version, constraint);

    expect(result).toBe(expected);
  });

  it.each(['', '1.0', '>= 1.0,', '=> 1.0', '>=', '>= 1.0 2.0', '>= 1.0-'])(
    'satisfies rejects the constraint %j',
    (constraint) => {
      expect(() => dpkg.satisfies('1.0', constraint)).toThrow(InvalidConstraintError);
    },
  );

  it('satisfies rejects an invalid version', () => {
    expect(() => dpkg.satisfies('1.0-', '>= 1.0')).toThrow(InvalidVersionError);
  });

  it('orders its samples as a total order', () => {
    const samples = [
      '~~',
      '~',
      '0~',
      ['0', '0-0', '00'],
      '0.1~rc1',
      '0.1',
      '1.0~~',
      '1.0~~a',
      '1.0~',
      '1.0~rc1',
      ['1.0', '1.00', '1.0-0'],
      '1.0-1~bpo12+1',
      ['1.0-1', '1.0-01'],
      '1.0-1+b1',
      '1.0-1.1',
      '1.0-2',
      '1.0A',
      '1.0Z',
      '1.0a',
      '1.0z',
      '1.0+',
      '1.0+dfsg',
      ['1.0.', '1.0.0'],
      '1.0.1',
      '1.9',
      ['1.10', '1.010'],
      '2.36-9+deb12u1',
      '2.36-9+deb12u2',
      '2.36-9+deb12u10',
      ['1:0', '01:0'],
      '1:1:1',
      '2:0.1',
    ];

    const problems = checkConformance(dpkg, samples);

    expect(problems).toEqual([]);
  });
});
