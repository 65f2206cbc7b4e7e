import { describe, expect, it } from 'vitest';

import { apk, parseApkVersion } from './apk.js';
import { checkConformance } from './conformance.js';
import { InvalidConstraintError, InvalidVersionError } from './types.js';

const SIGN = { '<': -1, '=': 0, '>': 1 } as const;

describe('versioning/apk', () => {
  it.each([
    // pre-release suffixes sort before the release, post-release ones after it
    ['1.2.3_alpha', '<', '1.2.3_beta'],
    ['1.2.3_beta', '<', '1.2.3_pre'],
    ['1.2.3_pre', '<', '1.2.3_rc'],
    ['1.2.3_rc1', '<', '1.2.3'],
    ['1.2.3_alpha', '<', '1.2.3_alpha1'],
    ['1.2.3_alpha_pre2', '<', '1.2.3_alpha'],
    ['1.2.3', '<', '1.2.3_cvs'],
    ['1.2.3_cvs', '<', '1.2.3_svn'],
    ['1.2.3_svn', '<', '1.2.3_git'],
    ['1.2.3_git', '<', '1.2.3_hg'],
    ['1.2.3_hg', '<', '1.2.3_p'],
    ['1.2.3_p1', '<', '1.2.3_p2'],
    ['1.2.3_p9', '<', '1.2.3_p10'],
    ['1.2.3_p1', '<', '1.2.3.1'],
    ['1.2.3_rc2', '>', '1.2.2_p9'],
    ['1.0.0_pre20191002222144-r0', '<', '1.0.0_pre20210530193627-r0'],
    // one letter after a number
    ['1.2a', '>', '1.2'],
    ['1.2a', '<', '1.2b'],
    ['1.2z', '<', '1.2.1'],
    ['1.2_p1', '<', '1.2a'],
    // package revisions
    ['1.0-r0', '<', '1.0-r1'],
    ['1.0-r0', '<', '1.0-r10'],
    ['1.0-r9', '<', '1.0-r10'],
    ['1.0-r1', '=', '1.0-r01'],
    ['1.0', '<', '1.0-r0'],
    ['1.0_rc1-r5', '<', '1.0-r0'],
    // numbers: numeric, except that a leading zero after a dot compares as text
    ['1.10', '>', '1.9'],
    ['1.01', '<', '1.1'],
    ['1.001', '<', '1.01'],
    ['1.010', '>', '1.01'],
    ['1.09', '<', '1.1'],
    ['1.0', '<', '1.00'],
    ['01.1', '=', '1.1'],
    ['006', '>', '1.0.0'],
    ['1.0', '<', '1.0.0'],
    ['20231231', '>', '1.0'],
    // commit hashes (apk-tools 3)
    ['1.0~abc', '>', '1.0'],
    ['1.0~abc-r1', '<', '1.0~abd-r0'],
  ] as const)('compare(%s, %s) is %s', (a, expected, b) => {
    const result = Math.sign(apk.compare(a, b));

    expect(result).toBe(SIGN[expected]);
  });

  it('tokenizes a version', () => {
    const parsed = parseApkVersion('1.2a_rc3-r4');

    expect(parsed.tokens.map(({ kind, text }) => `${kind}:${text}`)).toEqual([
      'initial:1',
      'digit:2',
      'letter:a',
      'suffix:rc',
      'suffixNumber:3',
      'revision:4',
      'end:',
    ]);
  });

  it.each([
    '1',
    '1.2.3',
    '1.2a',
    '1.2.3_rc1-r2',
    '1.2_alpha_pre2',
    '1.2a_p1-r0',
    '1.0~a1b2-r0',
    '1_p',
  ])('accepts %j', (input) => {
    expect(apk.isValid(input)).toBe(true);
  });

  it.each([
    '',
    'a1',
    'v1.2',
    '.1',
    '1.',
    '1..2',
    '1.2-r',
    '1.2-1',
    '1.2_',
    '1.2_foo',
    '1.2_RC1',
    '1.2A',
    '1.2ab',
    '1.2a3',
    '1.2_rc1a',
    '1.2-r1_p1',
    '1.2-r1-r2',
    '1.2~',
    '1.2~xyz',
    '1.2 ',
  ])('rejects %j', (input) => {
    expect(apk.isValid(input)).toBe(false);
    expect(() => apk.compare(input, '1.0')).toThrow(InvalidVersionError);
    expect(() => apk.compare('1.0', input)).toThrow(InvalidVersionError);
  });

  it.each([
    ['1.2.3-r1', '>= 1.2.3-r0, < 1.2.4', true],
    ['1.2.3_rc1', '< 1.2.3', true],
    ['1.2.3-r1', '> 1.2.3-r1', false],
    ['1.2.3-r1', '=1.2.3-r1', true],
    ['1.2.3-r1', '<=1.2.3-r1', true],
    ['1.2.3-r1', '< 1.2.3-r1', false],
    ['1.2.3_p1', '>1.2.3-r9', true],
  ] as const)('satisfies(%s, %j) is %s', (version, constraint, expected) => {
    const result = apk.satisfies(version, constraint);

    expect(result).toBe(expected);
  });

  it.each(['', '1.2', '>= 1.2,', '<< 1.2', '>> 1.2', '=> 1.2', '>= 1.2-1'])(
    'satisfies rejects the constraint %j',
    (constraint) => {
      expect(() => apk.satisfies('1.2', constraint)).toThrow(InvalidConstraintError);
    },
  );

  it('orders its samples as a total order', () => {
    const samples = [
      '0.1',
      '0.9',
      ['1', '01'],
      '1.0_alpha_pre2',
      '1.0_alpha',
      '1.0_alpha1',
      '1.0_alpha2',
      '1.0_beta',
      '1.0_beta2',
      '1.0_pre1',
      '1.0_rc1',
      '1.0_rc1-r1',
      '1.0_rc2',
      '1.0',
      '1.0-r0',
      ['1.0-r1', '1.0-r01'],
      '1.0-r10',
      '1.0~abc',
      '1.0_cvs',
      '1.0_svn',
      '1.0_git',
      '1.0_hg',
      '1.0_p',
      '1.0_p1',
      '1.0_p10',
      '1.0a',
      '1.0a-r1',
      '1.0b',
      '1.0.1',
      '1.0.10',
      '1.00',
      '1.001',
      '1.01',
      '1.010',
      '1.09',
      '1.1_rc1',
      '1.1',
      '1.9',
      '1.10',
      '2',
      ['6', '006'],
      '20230311',
    ];

    const problems = checkConformance(apk, samples);

    expect(problems).toEqual([]);
  });
});
