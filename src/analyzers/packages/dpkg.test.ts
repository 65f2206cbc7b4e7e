import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { recordingContext, textFile } from '../shared/testing.js';
import { dpkgAnalyzer, MAX_PACKAGES } from './dpkg.js';

const STATUS = '/var/lib/dpkg/status';
const fixture = readFileSync(new URL('./__fixtures__/dpkg-status-debian12', import.meta.url));

function analyze(path: string, content: string | Buffer) {
  const { ctx, warnings } = recordingContext();
  const out = dpkgAnalyzer.analyze(textFile(path, content), ctx);
  return { set: out?.packageSets?.[0], packages: out?.packageSets?.[0]?.packages ?? [], warnings };
}

const paragraph = (name: string, status: string, extra = '') =>
  `Package: ${name}\nStatus: ${status}\nArchitecture: amd64\nVersion: 1.0-1\n${extra}`;

describe('analyzers/packages/dpkg', () => {
  it.each([
    ['/var/lib/dpkg/status', true],
    ['/var/lib/dpkg/status.d/base-files', true],
    ['/var/lib/dpkg/status.d/libssl3', true],
    ['/var/lib/dpkg/status.d/libssl3.md5sums', false],
    ['/var/lib/dpkg/status.d/', false],
    ['/var/lib/dpkg/status.d/sub/dir', false],
    ['/var/lib/dpkg/status-old', false],
    ['/var/lib/dpkg/available', false],
    ['/opt/var/lib/dpkg/status', false],
  ])('matches(%s) is %s', (path, expected) => {
    expect(dpkgAnalyzer.matches(path)).toBe(expected);
  });

  it('reads the trimmed real Debian 12 status file', () => {
    const { set, packages, warnings } = analyze(STATUS, fixture);

    expect(warnings).toEqual([]);
    expect(set).toMatchObject({ source: 'dpkg-status', ecosystem: 'debian', path: STATUS });
    expect(packages.map((p) => `${p.name} ${p.version}`)).toEqual([
      'base-files 12.4+deb12u11',
      'bash 5.2.15-2+b8',
      'libc6 2.36-9+deb12u14',
      'libblkid1 2.38.1-5+deb12u3',
      'zlib1g 1:1.2.13.dfsg-1',
      'libstdc++6 12.2.0-14+deb12u1',
      'tzdata 2025b-0+deb12u2',
      'dpkg 1.21.22',
    ]);
  });

  it.each([
    ['no Source: source is the binary', 'base-files', 'base-files', '12.4+deb12u11'],
    ['Source with a version', 'bash', 'bash', '5.2.15-2'],
    ['Source without a version', 'libc6', 'glibc', '2.36-9+deb12u14'],
    ['epoch kept in the version', 'zlib1g', 'zlib', '1:1.2.13.dfsg-1'],
  ])('source package: %s', (_label, name, sourceName, sourceVersion) => {
    const { packages } = analyze(STATUS, fixture);

    const pkg = packages.find((p) => p.name === name);

    expect(pkg).toMatchObject({ sourceName, sourceVersion, path: STATUS });
  });

  it('sets arch and a purl without distro', () => {
    const { packages } = analyze(STATUS, fixture);

    const libc6 = packages.find((p) => p.name === 'libc6');

    expect(libc6).toMatchObject({
      arch: 'amd64',
      purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64',
    });
  });

  it.each([
    ['install ok installed', true],
    ['hold ok installed', true],
    ['deinstall ok installed', true],
    ['install ok unpacked', true],
    ['install ok half-configured', true],
    ['install reinstreq half-installed', true],
    ['install ok triggers-pending', true],
    ['deinstall ok config-files', false],
    ['purge ok not-installed', false],
  ])('Status "%s" reported: %s', (status, reported) => {
    const { packages, warnings } = analyze(STATUS, paragraph('foo', status));

    expect(packages.length === 1).toBe(reported);
    expect(warnings).toEqual([]);
  });

  it('keeps both architectures of a multi-arch package', () => {
    const text = `${paragraph('libc6', 'install ok installed')}\n${paragraph(
      'libc6',
      'install ok installed',
    ).replace('amd64', 'i386')}`;

    const { packages } = analyze(STATUS, text);

    expect(packages.map((p) => `${p.name}:${p.arch}`)).toEqual(['libc6:amd64', 'libc6:i386']);
  });

  it('reads a distroless status.d file, which has no Status field', () => {
    const text =
      'Package: libssl3\nVersion: 3.0.15-1~deb12u1\nArchitecture: amd64\nSource: openssl\n';

    const { set, packages } = analyze('/var/lib/dpkg/status.d/libssl3', text);

    expect(set?.source).toBe('dpkg-status.d');
    expect(packages).toMatchObject([{ name: 'libssl3', sourceName: 'openssl' }]);
  });

  it.each([
    ['missing Version', 'Package: a\nStatus: install ok installed\n', 1],
    ['truncated paragraph', `${paragraph('ok', 'install ok installed')}\nPackage: b\nStat`, 6],
    ['invalid Version', 'Package: a\nStatus: install ok installed\nVersion: not a version\n', 1],
    ['missing Status', 'Package: a\nVersion: 1.0\n', 1],
    ['garbled Status', 'Package: a\nStatus: install ok inst\nVersion: 1.0\n', 1],
    ['missing Package', 'Status: install ok installed\nVersion: 1.0\n', 1],
  ])('warns with file:line on %s and does not throw', (_label, text, line) => {
    const { warnings } = analyze(STATUS, text);

    expect(warnings.map((w) => w.location)).toContain(`${STATUS}:${line}`);
    expect(warnings.every((w) => w.code === 'analyzer-entry-malformed')).toBe(true);
  });

  it('warns once and returns nothing for binary garbage', () => {
    const garbage = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x41]);

    const { set, warnings } = analyze(STATUS, garbage);

    expect(set).toBeUndefined();
    expect(warnings).toMatchObject([{ code: 'analyzer-file-unreadable', location: STATUS }]);
  });

  it('caps the warnings of a file full of junk lines', () => {
    const junk = Array.from({ length: 100 }, (_, i) => `junk line ${i}`).join('\n');

    const { warnings } = analyze(STATUS, junk);

    expect(warnings).toHaveLength(21);
    expect(warnings.at(-1)?.code).toBe('analyzer-warnings-truncated');
  });

  it('reads only files of a real database size', () => {
    expect(dpkgAnalyzer.maxFileSize).toBeLessThanOrEqual(32 * 1024 * 1024);
  });

  it.each([
    ['valid packages', (i: number) => paragraph(`p${i}`, 'install ok installed'), MAX_PACKAGES],
    ['paragraphs without Package', () => 'P: x\n', 0],
  ])('reads at most MAX_PACKAGES %s and says how many were left', (_label, make, listed) => {
    const text = Array.from({ length: MAX_PACKAGES + 5 }, (_, i) => make(i)).join('\n');

    const { packages, warnings } = analyze(STATUS, text);

    expect(packages).toHaveLength(listed);
    expect(warnings.filter((w) => w.code === 'analyzer-entries-truncated')).toEqual([
      {
        code: 'analyzer-entries-truncated',
        message: `more than ${MAX_PACKAGES} packages; the last 5 were not read`,
        location: STATUS,
      },
    ]);
    expect(warnings.length).toBeLessThanOrEqual(22);
  });

  it('ignores long folded fields it does not report', () => {
    const long = ` ${'x'.repeat(1000)}\n`.repeat(1000);
    const text = `${paragraph('big', 'install ok installed')}Description: d\n${long}`;

    const { packages, warnings } = analyze(STATUS, text);

    expect(warnings).toEqual([]);
    expect(JSON.stringify(packages).length).toBeLessThan(500);
  });

  const hasDpkg = existsSync(STATUS) && existsSync('/usr/bin/dpkg-query');
  it.skipIf(!hasDpkg)('equals dpkg-query -W on the live status file of this machine', () => {
    const format =
      '${db:Status-Status} ${Package} ${Architecture} ${Version} ${source:Package} ${source:Version}\n';
    const expected = execFileSync('dpkg-query', ['-W', '-f', format], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l !== '' && !/^(config-files|not-installed) /.test(l))
      .map((l) => l.split(' ').slice(1).join(' '))
      .sort();

    const { packages, warnings } = analyze(STATUS, readFileSync(STATUS));
    const actual = packages
      .map((p) => `${p.name} ${p.arch} ${p.version} ${p.sourceName} ${p.sourceVersion}`)
      .sort();

    expect(warnings).toEqual([]);
    expect(actual).toEqual(expected);
  });
});
