import { describe, expect, it } from 'vitest';

import type { OsvAffected, OsvRecord } from '../vulndb/osv-schema.js';
import { ratingForScore, scoreCvss, severityOf } from './severity.js';

function record(extra: Partial<OsvRecord> = {}): OsvRecord {
  return { id: 'GHSA-aaaa-bbbb-cccc', modified: '2024-01-01T00:00:00Z', ...extra };
}

describe('matchers/severity', () => {
  describe('scoreCvss', () => {
    it.each([
      // GHSA-p6mc-m468-83gw (lodash, CVE-2020-8203)
      ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H', '3.1', 7.4],
      // the classic 9.8 network RCE vector
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.1', 9.8],
      // NSWG-ECO-368 (lodash, CVE-2018-3721)
      ['CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L', '3.0', 1.8],
      // CVSS v4.0 example: network, no privileges, high impact on the vulnerable system
      ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', '4.0', 9.3],
      // CVSS v2 (NVD: AV:N/AC:L/Au:N/C:P/I:P/A:P = 7.5)
      ['AV:N/AC:L/Au:N/C:P/I:P/A:P', '2.0', 7.5],
      ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', '3.1', 0],
    ])('%s → v%s %s', (vector, version, score) => {
      expect(scoreCvss(vector)).toEqual({ version, vector, score });
    });

    it.each(['garbage', 'CVSS:3.1/AV:Q', ''])('%j → undefined', (vector) => {
      expect(scoreCvss(vector)).toBeUndefined();
    });
  });

  describe('ratingForScore', () => {
    it.each([
      [0, 3, 'UNKNOWN'],
      [0.1, 3, 'LOW'],
      [3.9, 3, 'LOW'],
      [4.0, 3, 'MEDIUM'],
      [6.9, 3, 'MEDIUM'],
      [7.0, 3, 'HIGH'],
      [8.9, 3, 'HIGH'],
      [9.0, 3, 'CRITICAL'],
      [10, 4, 'CRITICAL'],
      [10, 2, 'HIGH'],
    ])('%s (v%s) → %s', (score, major, rating) => {
      expect(ratingForScore(score, major)).toBe(rating);
    });
  });

  describe('severityOf', () => {
    const highV3 = { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H' };
    const critV3 = { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' };
    const lowV3 = { type: 'CVSS_V3', score: 'CVSS:3.0/AV:L/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L' };
    const noneV3 = { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N' };
    const v4 = {
      type: 'CVSS_V4',
      score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
    };

    it.each([
      // [what, record, affected, kind, severity, source]
      [
        'CVSS for a language package',
        record({ severity: [highV3] }),
        undefined,
        'language',
        'HIGH',
        'cvss-v3',
      ],
      [
        'CVSS beats the GitHub word',
        record({ severity: [lowV3], database_specific: { severity: 'HIGH' } }),
        undefined,
        'language',
        'LOW',
        'cvss-v3',
      ],
      [
        'GitHub word without CVSS; MODERATE is MEDIUM',
        record({ database_specific: { severity: 'MODERATE' } }),
        undefined,
        'language',
        'MEDIUM',
        'ghsa',
      ],
      [
        'a converted feed using GitHub words',
        record({ id: 'RETIRE-x-1', database_specific: { severity: 'LOW' } }),
        undefined,
        'language',
        'LOW',
        'database',
      ],
      [
        'CVSS 0.0 is UNKNOWN, not LOW; the word is used instead',
        record({ severity: [noneV3], database_specific: { severity: 'CRITICAL' } }),
        undefined,
        'language',
        'CRITICAL',
        'ghsa',
      ],
      [
        'the newest CVSS version wins',
        record({ severity: [lowV3, v4] }),
        undefined,
        'language',
        'CRITICAL',
        'cvss-v4',
      ],
      [
        'package-level severity replaces the record-level one',
        record({ severity: [lowV3] }),
        { severity: [critV3] },
        'language',
        'CRITICAL',
        'cvss-v3',
      ],
      [
        'Debian urgency beats CVSS for OS packages',
        record({ severity: [critV3] }),
        { ecosystem_specific: { urgency: 'low' } },
        'os',
        'LOW',
        'debian',
      ],
      [
        'unimportant is LOW',
        record(),
        { ecosystem_specific: { urgency: 'unimportant' } },
        'os',
        'LOW',
        'debian',
      ],
      ['medium', record(), { database_specific: { urgency: 'medium' } }, 'os', 'MEDIUM', 'debian'],
      ['high', record(), { ecosystem_specific: { urgency: 'high' } }, 'os', 'HIGH', 'debian'],
      [
        '"not yet assigned" falls back to CVSS',
        record({ severity: [highV3] }),
        { ecosystem_specific: { urgency: 'not yet assigned' } },
        'os',
        'HIGH',
        'cvss-v3',
      ],
      ['nothing at all', record(), undefined, 'os', 'UNKNOWN', undefined],
    ] as [
      string,
      OsvRecord,
      OsvAffected | undefined,
      'os' | 'language',
      string,
      string | undefined,
    ][])('%s', (_what, rec, affected, kind, severity, source) => {
      const result = severityOf(rec, affected, kind);

      expect(result.severity).toBe(severity);
      expect(result.source).toBe(source);
    });

    it('records the CVSS score it used', () => {
      const result = severityOf(record({ severity: [highV3] }), undefined, 'language');

      expect(result.cvss).toEqual({ version: '3.1', vector: highV3.score, score: 7.4 });
    });
  });
});
