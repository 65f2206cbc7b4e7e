import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { recordingContext, textFile } from '../shared/testing.js';
import { osReleaseAnalyzer, parseOsRelease } from './os-release.js';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('analyzers/os/os-release', () => {
  it.each([
    ['/etc/os-release', true],
    ['/usr/lib/os-release', true],
    ['/etc/debian_version', true],
    ['/etc/alpine-release', true],
    ['/etc/os-release.bak', false],
    ['/app/etc/os-release', false],
    ['/usr/lib/os-release/x', false],
    ['/etc/lsb-release', false],
  ])('matches(%s) is %s', (path, expected) => {
    expect(osReleaseAnalyzer.matches(path)).toBe(expected);
  });

  it.each([
    ['unquoted', 'ID=debian', 'ID', 'debian'],
    ['double quotes', 'NAME="Debian GNU/Linux"', 'NAME', 'Debian GNU/Linux'],
    ['single quotes are literal', "NAME='a \\ b'", 'NAME', 'a \\ b'],
    ['escaped quote', 'NAME="say \\"hi\\""', 'NAME', 'say "hi"'],
    ['escaped dollar', 'NAME="cost \\$5"', 'NAME', 'cost $5'],
    ['empty value', 'VARIANT=', 'VARIANT', ''],
    ['surrounding spaces', '  ID=alpine  ', 'ID', 'alpine'],
  ])('parses %s', (_label, line, key, value) => {
    const vars = parseOsRelease(`# comment\n\n${line}\n`);

    expect(vars.get(key)).toBe(value);
  });

  it('reads the real Debian 12 os-release', () => {
    const { ctx, warnings } = recordingContext();

    const out = osReleaseAnalyzer.analyze(
      textFile('/usr/lib/os-release', fixture('debian-12-os-release')),
      ctx,
    );

    expect(warnings).toEqual([]);
    expect(out?.os).toEqual({
      path: '/usr/lib/os-release',
      id: 'debian',
      versionId: '12',
      name: 'Debian GNU/Linux',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
      versionCodename: 'bookworm',
    });
  });

  it('lower-cases ID and splits ID_LIKE', () => {
    const { ctx } = recordingContext();
    const text = 'ID=Ubuntu\nID_LIKE="debian  other"\nVERSION_ID="22.04"\n';

    const out = osReleaseAnalyzer.analyze(textFile('/etc/os-release', text), ctx);

    expect(out?.os).toMatchObject({ id: 'ubuntu', idLike: ['debian', 'other'] });
  });

  it.each([
    ['/etc/debian_version', fixture('debian-12-debian_version'), { debianVersion: '12.11' }],
    ['/etc/debian_version', 'trixie/sid\n', { debianVersion: 'trixie/sid' }],
    ['/etc/alpine-release', '3.20.3\n', { alpineRelease: '3.20.3' }],
  ])('reads %s', (path, content, expected) => {
    const { ctx } = recordingContext();

    const out = osReleaseAnalyzer.analyze(textFile(path, content), ctx);

    expect(out?.os).toEqual({ path, ...expected });
  });

  it('warns with file:line about a line that is not an assignment and keeps the rest', () => {
    const { ctx, warnings } = recordingContext();
    const text = 'ID=debian\nthis is not valid\nNAME="unterminated\nVERSION_ID=12\n';

    const out = osReleaseAnalyzer.analyze(textFile('/etc/os-release', text), ctx);

    expect(out?.os).toMatchObject({ id: 'debian', versionId: '12' });
    expect(warnings.map((w) => w.location)).toEqual(['/etc/os-release:2', '/etc/os-release:3']);
  });

  it.each([
    ['binary garbage', '/etc/os-release', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2])],
    ['an empty alpine-release', '/etc/alpine-release', Buffer.from('\n')],
  ])('warns and returns nothing for %s', (_label, path, content) => {
    const { ctx, warnings } = recordingContext();

    const out = osReleaseAnalyzer.analyze(textFile(path, content), ctx);

    expect(out).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.code).toBe('analyzer-file-unreadable');
  });
});
