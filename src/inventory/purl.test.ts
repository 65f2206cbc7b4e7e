import { PackageURL } from 'packageurl-js';
import { describe, expect, it } from 'vitest';

import { purlFor, type PurlInput } from './purl.js';
import type { OperatingSystem } from './types.js';

function os(family: string, version: string): OperatingSystem {
  return { family, version, release: version, name: family, sources: [] };
}

const debian128 = os('debian', '12.8');
const alpine3203 = os('alpine', '3.20.3');

describe('inventory/purl', () => {
  // Expected strings come from purl-spec tests/types/{deb,apk,npm}-test.json where the spec has
  // a matching example, and follow the same rules (distro=<family>-<version>) otherwise.
  it.each<[string, PurlInput, OperatingSystem | undefined, string]>([
    [
      'spec deb: curl without distro',
      { name: 'curl', version: '7.50.3-1', ecosystem: 'debian', arch: 'i386' },
      undefined,
      'pkg:deb/debian/curl@7.50.3-1?arch=i386',
    ],
    [
      'spec deb: ubuntu namespace from the OS family',
      { name: 'dpkg', version: '1.19.0.4', ecosystem: 'debian', arch: 'amd64' },
      os('ubuntu', ''),
      'pkg:deb/ubuntu/dpkg@1.19.0.4?arch=amd64',
    ],
    [
      'spec deb: epoch colon stays unencoded',
      { name: 'attr', version: '1:2.4.47-2', ecosystem: 'debian', arch: 'source' },
      undefined,
      'pkg:deb/debian/attr@1:2.4.47-2?arch=source',
    ],
    [
      'spec deb: plus in version is percent-encoded',
      { name: 'attr', version: '1:2.4.47-2+b1', ecosystem: 'debian', arch: 'amd64' },
      undefined,
      'pkg:deb/debian/attr@1:2.4.47-2%2Bb1?arch=amd64',
    ],
    [
      'deb with distro',
      { name: 'libc6', version: '2.36-9+deb12u9', ecosystem: 'debian', arch: 'amd64' },
      debian128,
      'pkg:deb/debian/libc6@2.36-9%2Bdeb12u9?arch=amd64&distro=debian-12.8',
    ],
    [
      'deb name with plus signs',
      { name: 'libstdc++6', version: '12.2.0-14', ecosystem: 'debian', arch: 'amd64' },
      debian128,
      'pkg:deb/debian/libstdc%2B%2B6@12.2.0-14?arch=amd64&distro=debian-12.8',
    ],
    [
      'spec apk: curl',
      { name: 'curl', version: '7.83.0-r0', ecosystem: 'alpine', arch: 'x86' },
      undefined,
      'pkg:apk/alpine/curl@7.83.0-r0?arch=x86',
    ],
    [
      'apk with distro',
      { name: 'musl', version: '1.2.5-r0', ecosystem: 'alpine', arch: 'x86_64' },
      alpine3203,
      'pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3',
    ],
    [
      'spec npm: unscoped',
      { name: 'foobar', version: '12.3.1', ecosystem: 'npm' },
      undefined,
      'pkg:npm/foobar@12.3.1',
    ],
    [
      'spec npm: scope is the namespace',
      { name: '@angular/animation', version: '12.3.1', ecosystem: 'npm' },
      undefined,
      'pkg:npm/%40angular/animation@12.3.1',
    ],
    [
      'npm ignores the OS',
      { name: '@scope/name', version: '1.0.0', ecosystem: 'npm' },
      debian128,
      'pkg:npm/%40scope/name@1.0.0',
    ],
  ])('%s', (_label, pkg, system, expected) => {
    const purl = purlFor(pkg, system);

    expect(purl).toBe(expected);
  });

  it('produces purls that parse back to the same components', () => {
    const pkg: PurlInput = {
      name: 'libc6',
      version: '1:2.36-9+deb12u9',
      ecosystem: 'debian',
      arch: 'amd64',
    };

    const parsed = PackageURL.fromString(purlFor(pkg, debian128));

    expect(parsed).toMatchObject({
      type: 'deb',
      namespace: 'debian',
      name: 'libc6',
      version: '1:2.36-9+deb12u9',
      qualifiers: { arch: 'amd64', distro: 'debian-12.8' },
    });
  });

  it('omits the arch qualifier when the arch is unknown', () => {
    const pkg: PurlInput = { name: 'tzdata', version: '2024a-0+deb12u1', ecosystem: 'debian' };

    const purl = purlFor(pkg);

    expect(purl).toBe('pkg:deb/debian/tzdata@2024a-0%2Bdeb12u1');
  });
});
