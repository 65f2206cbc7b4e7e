import { describe, expect, it } from 'vitest';

import type { OperatingSystem } from '../../inventory/types.js';
import type { OsFacts } from '../types.js';
import { resolveOs } from './resolve-os.js';

const debianEtc: OsFacts = {
  path: '/etc/os-release',
  id: 'debian',
  versionId: '12',
  name: 'Debian GNU/Linux',
  prettyName: 'Debian GNU/Linux 12 (bookworm)',
  versionCodename: 'bookworm',
};
const debianSid: OsFacts = {
  path: '/etc/os-release',
  id: 'debian',
  prettyName: 'Debian GNU/Linux trixie/sid',
  versionCodename: 'trixie',
};
const alpine: OsFacts = {
  path: '/etc/os-release',
  id: 'alpine',
  versionId: '3.20.3',
  prettyName: 'Alpine Linux v3.20',
};
const alpineEdge: OsFacts = {
  path: '/etc/os-release',
  id: 'alpine',
  versionId: '3.21_alpha20240807',
  prettyName: 'Alpine Linux edge',
};
const ubuntu: OsFacts = {
  path: '/etc/os-release',
  id: 'ubuntu',
  idLike: ['debian'],
  versionId: '22.04',
  prettyName: 'Ubuntu 22.04.4 LTS',
  versionCodename: 'jammy',
};
const dv = (debianVersion: string): OsFacts => ({ path: '/etc/debian_version', debianVersion });
const ar = (alpineRelease: string): OsFacts => ({ path: '/etc/alpine-release', alpineRelease });

describe('analyzers/os/resolve-os', () => {
  it.each<[string, OsFacts[], Partial<OperatingSystem> | undefined]>([
    ['nothing known', [], undefined],
    [
      'debian point release from debian_version',
      [debianEtc, dv('12.8')],
      { family: 'debian', version: '12.8', release: '12', codename: 'bookworm' },
    ],
    [
      'debian from os-release alone',
      [debianEtc],
      { family: 'debian', version: '12', release: '12', sources: ['/etc/os-release'] },
    ],
    [
      'debian testing/unstable: codename as release',
      [debianSid, dv('trixie/sid')],
      { family: 'debian', version: 'trixie/sid', release: 'trixie', codename: 'trixie' },
    ],
    [
      'debian_version alone',
      [dv('11.11')],
      { family: 'debian', version: '11.11', release: '11', name: 'debian 11.11' },
    ],
    [
      'sid with a VERSION_ID prefers VERSION_ID',
      [{ ...debianSid, versionId: '13' }, dv('trixie/sid')],
      { release: '13' },
    ],
    [
      'alpine point release',
      [alpine, ar('3.20.3')],
      { family: 'alpine', version: '3.20.3', release: 'v3.20', name: 'Alpine Linux v3.20' },
    ],
    ['alpine-release alone', [ar('3.19.1')], { family: 'alpine', release: 'v3.19' }],
    [
      'alpine edge',
      [alpineEdge, ar('3.21_alpha20240807')],
      { family: 'alpine', version: '3.21_alpha20240807', release: 'edge' },
    ],
    [
      'ubuntu ignores its debian_version',
      [ubuntu, dv('bookworm/sid')],
      { family: 'ubuntu', version: '22.04', release: '22.04', sources: ['/etc/os-release'] },
    ],
  ])('%s', (_label, facts, expected) => {
    const os = resolveOs(facts);

    if (expected === undefined) {
      expect(os).toBeUndefined();
    } else {
      expect(os).toMatchObject(expected);
    }
  });

  it('prefers /etc/os-release over /usr/lib/os-release whatever the order', () => {
    const usrLib: OsFacts = { ...debianEtc, path: '/usr/lib/os-release', versionId: '11' };

    const os = resolveOs([debianEtc, usrLib]);

    expect(os?.version).toBe('12');
    expect(os?.sources).toEqual(['/etc/os-release']);
  });

  it('takes the last facts for the same path (upper layers win)', () => {
    const os = resolveOs([debianEtc, dv('12.7'), dv('12.8')]);

    expect(os?.version).toBe('12.8');
  });
});
