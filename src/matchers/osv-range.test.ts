import { describe, expect, it } from 'vitest';

import { memorySink, createLogger } from '../core/logger.js';
import { getScheme } from '../versioning/registry.js';
import type { OsvAffected, OsvEvent } from '../vulndb/osv-schema.js';
import { evaluateAffected, evaluateRange, schemeIdFor, schemesFor } from './osv-range.js';

const { sink, records } = memorySink();
const log = createLogger({ level: 'debug', sink });

function range(type: string, events: OsvEvent[]) {
  return { type, events };
}

describe('matchers/osv-range', () => {
  describe('evaluateRange with SEMVER', () => {
    const semver = getScheme('semver');

    it.each([
      // [version, events, affected, fixedVersion]
      ['1.0.0', [{ introduced: '0' }], true, undefined],
      ['0.0.1', [{ introduced: '0' }, { fixed: '1.0.2' }], true, '1.0.2'],
      ['1.0.2', [{ introduced: '0' }, { fixed: '1.0.2' }], false, undefined],
      ['1.0.1', [{ introduced: '1.0.0' }, { fixed: '1.0.2' }], true, '1.0.2'],
      ['0.9.9', [{ introduced: '1.0.0' }, { fixed: '1.0.2' }], false, undefined],
      ['1.0.0', [{ introduced: '1.0.0' }, { fixed: '1.0.2' }], true, '1.0.2'],
      // last_affected is inclusive and names no fix
      ['2.1.214', [{ introduced: '0' }, { last_affected: '2.1.214' }], true, undefined],
      ['2.1.215', [{ introduced: '0' }, { last_affected: '2.1.214' }], false, undefined],
      // several intervals in one range: [1.0.0, 1.0.2) and [3.0.0, 3.2.5)
      ['1.0.1', multi(), true, '1.0.2'],
      ['2.0.0', multi(), false, undefined],
      ['3.2.4', multi(), true, '3.2.5'],
      ['3.2.5', multi(), false, undefined],
      // events listed out of order are sorted before walking
      [
        '3.1.0',
        [{ fixed: '3.2.5' }, { introduced: '3.0.0' }, { fixed: '1.0.2' }, { introduced: '1.0.0' }],
        true,
        '3.2.5',
      ],
      [
        '2.0.0',
        [{ fixed: '3.2.5' }, { introduced: '3.0.0' }, { fixed: '1.0.2' }, { introduced: '1.0.0' }],
        false,
        undefined,
      ],
      ['0.5.0', [{ fixed: '1.0.0' }, { introduced: '0' }], true, '1.0.0'],
      // pre-releases sort before their release
      ['1.0.2-rc.1', [{ introduced: '0' }, { fixed: '1.0.2' }], true, '1.0.2'],
      ['2.0.0-alpha', [{ introduced: '2.0.0' }, { fixed: '2.0.5' }], false, undefined],
      ['2.0.0-beta.2', [{ introduced: '2.0.0-beta.1' }, { fixed: '2.0.0' }], true, '2.0.0'],
      // limit is an exclusive upper bound on the whole range; `*` is infinity
      ['1.5.0', [{ introduced: '1.0.0' }, { limit: '2.0.0' }], true, undefined],
      ['2.0.0', [{ introduced: '1.0.0' }, { limit: '2.0.0' }], false, undefined],
      ['9.0.0', [{ introduced: '1.0.0' }, { limit: '*' }], true, undefined],
      ['2.5.0', [{ introduced: '1.0.0' }, { limit: '2.0.0' }, { limit: '3.0.0' }], true, undefined],
      // an empty interval is no interval
      ['1.0.0', [{ introduced: '1.0.0' }, { fixed: '1.0.0' }], false, undefined],
    ] as const)('%s in %j → affected %s, fixed %s', (version, events, affected, fixedVersion) => {
      const result = evaluateRange(version, range('SEMVER', [...events]), semver, log);

      expect(result).toEqual(fixedVersion ? { affected, fixedVersion } : { affected });
    });

    it('skips an unparseable event with a debug line instead of throwing', () => {
      records.length = 0;

      const result = evaluateRange(
        '1.5.0',
        range('SEMVER', [
          { introduced: 'not-a-version' },
          { introduced: '1.0.0' },
          { fixed: '2.0.0' },
        ]),
        semver,
        log,
      );

      expect(result).toEqual({ affected: true, fixedVersion: '2.0.0' });
      expect(records.some((r) => r.level === 'debug' && r.message.includes('not-a-version'))).toBe(
        true,
      );
    });

    it('matches nothing when the installed version does not parse', () => {
      const result = evaluateRange('latest', range('SEMVER', [{ introduced: '0' }]), semver, log);

      expect(result).toEqual({ affected: false });
    });
  });

  describe('evaluateRange with the ecosystem schemes', () => {
    it.each([
      ['dpkg', '5.36.0-7+deb12u2', '5.36.0-7+deb12u3', true],
      ['dpkg', '5.36.0-7+deb12u3', '5.36.0-7+deb12u3', false],
      ['dpkg', '5.36.0-7+deb12u4', '5.36.0-7+deb12u3', false],
      ['dpkg', '1:1.0-1', '2.0-1', false],
      ['dpkg', '3.0.11-1~deb12u2', '3.0.11-1', true],
      ['apk', '1.2.3-r0', '1.2.3-r1', true],
      ['apk', '1.2.3-r1', '1.2.3-r1', false],
      ['apk', '1.2.3_rc1-r0', '1.2.3-r0', true],
    ])('%s: %s with fixed %s → %s', (scheme, version, fixed, affected) => {
      const events = [{ introduced: '0' }, { fixed }];

      const result = evaluateRange(version, range('ECOSYSTEM', events), getScheme(scheme), log);

      expect(result.affected).toBe(affected);
    });
  });

  describe('evaluateAffected', () => {
    const npm = schemesFor('npm');

    it.each([
      // [version, affected entry, expected]
      ['1.2.3', { versions: ['1.2.3', '1.2.4'] }, { affected: true }],
      ['1.2.5', { versions: ['1.2.3', '1.2.4'] }, { affected: false }],
      [
        '1.0.0',
        { ranges: [range('GIT', [{ introduced: 'abc' }, { fixed: 'def' }])] },
        { affected: false },
      ],
      [
        '1.0.0',
        { ranges: [range('ECOSYSTEM', [{ introduced: '0' }, { fixed: '1.1.0' }])] },
        { affected: true, fixedVersion: '1.1.0' },
      ],
      [
        '1.0.0',
        {
          ranges: [
            range('ECOSYSTEM', [{ introduced: '0' }]),
            range('SEMVER', [{ introduced: '0' }, { fixed: '1.0.1' }]),
          ],
        },
        { affected: true, fixedVersion: '1.0.1' },
      ],
      [
        '1.0.0',
        { ranges: [range('ECOSYSTEM', [{ introduced: '2.0.0' }])], versions: ['1.0.0'] },
        { affected: true },
      ],
    ] as [string, OsvAffected, object][])('%s in %j → %j', (version, affected, expected) => {
      expect(evaluateAffected(version, affected, npm, log)).toEqual(expected);
    });

    it('ignores ECOSYSTEM ranges of an ecosystem without a scheme, but still reads SEMVER ones', () => {
      const schemes = schemesFor('Go');
      const affected: OsvAffected = {
        ranges: [
          range('ECOSYSTEM', [{ introduced: '0' }]),
          range('SEMVER', [{ introduced: '2.0.0' }]),
        ],
      };

      expect(evaluateAffected('1.0.0', affected, schemes, log)).toEqual({ affected: false });
      expect(evaluateAffected('2.0.0', affected, schemes, log)).toEqual({ affected: true });
    });
  });

  describe('schemeIdFor', () => {
    it.each([
      ['Debian:12', 'dpkg'],
      ['Debian', 'dpkg'],
      ['Alpine:v3.17', 'apk'],
      ['npm', 'semver'],
      ['PyPI', undefined],
    ])('%s → %s', (ecosystem, id) => {
      expect(schemeIdFor(ecosystem)).toBe(id);
    });
  });
});

function multi(): OsvEvent[] {
  return [{ introduced: '1.0.0' }, { fixed: '1.0.2' }, { introduced: '3.0.0' }, { fixed: '3.2.5' }];
}
