import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { recordingContext, textFile } from '../shared/testing.js';
import { apkAnalyzer, MAX_PACKAGES, parseApkInstalled } from './apk.js';

const INSTALLED = '/lib/apk/db/installed';
const fixture = readFileSync(new URL('./__fixtures__/apk-installed-alpine320', import.meta.url));

function analyze(content: string | Buffer) {
  const { ctx, warnings } = recordingContext();
  const out = apkAnalyzer.analyze(textFile(INSTALLED, content), ctx);
  return { set: out?.packageSets?.[0], packages: out?.packageSets?.[0]?.packages ?? [], warnings };
}

describe('analyzers/packages/apk', () => {
  it.each([
    ['/lib/apk/db/installed', true],
    ['/lib/apk/db/installed.old', false],
    ['/lib/apk/db/triggers', false],
    ['/usr/lib/apk/db/installed', false],
    ['/home/x/lib/apk/db/installed', false],
  ])('matches(%s) is %s', (path, expected) => {
    expect(apkAnalyzer.matches(path)).toBe(expected);
  });

  it('reads the Alpine 3.20 fixture', () => {
    const { set, packages, warnings } = analyze(fixture);

    expect(warnings).toEqual([]);
    expect(set).toMatchObject({ source: 'apk-installed', ecosystem: 'alpine', path: INSTALLED });
    expect(packages.map((p) => `${p.name} ${p.version} ${p.sourceName}`)).toEqual([
      'musl 1.2.5-r0 musl',
      'busybox 1.36.1-r29 busybox',
      'alpine-baselayout-data 3.6.5-r0 alpine-baselayout',
      'libcrypto3 3.3.2-r0 openssl',
      'libssl3 3.3.2-r0 openssl',
      'ca-certificates-bundle 20240705-r0 ca-certificates',
      'scanelf 1.3.7-r2 pax-utils',
    ]);
  });

  it('fills arch, licence, source version and purl', () => {
    const { packages } = analyze(fixture);

    const bundle = packages.find((p) => p.name === 'ca-certificates-bundle');

    expect(bundle).toEqual({
      name: 'ca-certificates-bundle',
      version: '20240705-r0',
      ecosystem: 'alpine',
      arch: 'x86_64',
      licenses: ['MPL-2.0 AND MIT'],
      sourceName: 'ca-certificates',
      sourceVersion: '20240705-r0',
      path: INSTALLED,
      purl: 'pkg:apk/alpine/ca-certificates-bundle@20240705-r0?arch=x86_64',
    });
  });

  it.each([
    ['no origin: source is the package itself', 'P:zlib\nV:1.3.1-r1\n', 'zlib'],
    ['record without trailing newline', 'P:zlib\nV:1.3.1-r1\no:zlib', 'zlib'],
    ['CRLF line ends', 'P:zlib\r\nV:1.3.1-r1\r\no:zlib\r\n', 'zlib'],
  ])('%s', (_label, text, sourceName) => {
    const { packages, warnings } = analyze(text);

    expect(warnings).toEqual([]);
    expect(packages).toMatchObject([{ name: 'zlib', version: '1.3.1-r1', sourceName }]);
  });

  it.each([
    ['missing version', 'P:musl\nV:1.2.5-r0\n\nP:broken\nA:x86_64\n', 4],
    ['invalid version', 'P:broken\nV:latest\n', 1],
    ['missing name', 'V:1.0-r0\nA:x86_64\n', 1],
    ['a line that is not a field', 'P:musl\nV:1.2.5-r0\ngarbage here\n', 3],
    ['truncated record', 'P:musl\nV:1.2.5-r0\n\nP:libssl3\nV', 5],
  ])('warns with file:line on %s and does not throw', (_label, text, line) => {
    const { warnings } = analyze(text);

    expect(warnings.map((w) => w.location)).toContain(`${INSTALLED}:${line}`);
  });

  it('warns once and returns nothing for binary garbage', () => {
    const { set, warnings } = analyze(Buffer.from([0x00, 0x50, 0x3a, 0xff, 0x00]));

    expect(set).toBeUndefined();
    expect(warnings).toMatchObject([{ code: 'analyzer-file-unreadable', location: INSTALLED }]);
  });

  it('reads only files of a real database size', () => {
    expect(apkAnalyzer.maxFileSize).toBeLessThanOrEqual(32 * 1024 * 1024);
  });

  it.each([
    ['under the cap', 'P:a\nV:1-r0\n\nP:b\nV:1-r0\n', 2, ['a', 'b'], 0],
    ['at the cap', 'P:a\nV:1-r0\n\nP:b\nV:1-r0\n', 1, ['a'], 1],
    ['junk past the cap', 'P:a\nV:1-r0\n\njunk\n\n\nP:c\n', 1, ['a'], 2],
  ])('parseApkInstalled stops at the cap and counts the rest: %s', (_l, text, max, names, left) => {
    const warned: string[] = [];

    const result = parseApkInstalled(text, INSTALLED, (_c, m) => warned.push(m), max);

    expect(result.packages.map((p) => p.name)).toEqual(names);
    expect(result.notRead).toBe(left);
    expect(warned).toEqual([]);
  });

  it('reads at most MAX_PACKAGES records and says how many were left', () => {
    const text = 'P:x\n\n'.repeat(MAX_PACKAGES + 5);

    const { packages, warnings } = analyze(text);

    expect(packages).toEqual([]);
    expect(warnings).toHaveLength(22);
    expect(warnings.at(-1)).toEqual({
      code: 'analyzer-entries-truncated',
      message: `more than ${MAX_PACKAGES} packages; the last 5 were not read`,
      location: INSTALLED,
    });
  });
});
