import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { dpkg } from './dpkg.js';

const STATUS_FILE = '/var/lib/dpkg/status';
const MAX_STATUS_VERSIONS = 400;
const RANDOM_PAIRS = 150;

function hasDpkg(): boolean {
  const result = spawnSync('dpkg', ['--version'], { stdio: 'ignore' });
  return result.status === 0;
}

/**
 * Runs `dpkg --compare-versions a OP b` for many triples in one shell, one dpkg process per
 * triple (about 1.5 ms each), and returns dpkg's exit codes: 0 true, 1 false, 2 syntax error.
 */
function dpkgRelations(triples: readonly (readonly [string, string, string])[]): number[] {
  const script =
    'while [ $# -gt 0 ]; do dpkg --compare-versions "$1" "$2" "$3" 2>/dev/null; echo $?; shift 3; done';
  const result = spawnSync('sh', ['-c', script, 'sh', ...triples.flat()], { encoding: 'utf8' });
  return result.stdout.trim().split('\n').map(Number);
}

/** dpkg's three-way answer for each pair: lt, then eq; `error` when dpkg refuses a version. */
function dpkgCompare(pairs: readonly (readonly [string, string])[]): ('<' | '=' | '>' | 'error')[] {
  const lessThan = dpkgRelations(pairs.map(([a, b]) => [a, 'lt', b] as const));
  const equal = dpkgRelations(pairs.map(([a, b]) => [a, 'eq', b] as const));
  return lessThan.map((lt, i) => {
    if (lt === 0) return '<';
    if (lt !== 1) return 'error';
    return equal[i] === 0 ? '=' : '>';
  });
}

function ours(a: string, b: string): '<' | '=' | '>' | 'error' {
  if (!dpkg.isValid(a) || !dpkg.isValid(b)) return 'error';
  const sign = Math.sign(dpkg.compare(a, b));
  return sign < 0 ? '<' : sign > 0 ? '>' : '=';
}

/** Versions from the status file: `Version:` fields and versions inside relations. */
function statusVersions(): string[] {
  const text = readFileSync(STATUS_FILE, 'utf8');
  const found = new Set<string>();
  for (const match of text.matchAll(/^Version: (\S+)$/gm)) found.add(match[1] ?? '');
  for (const match of text.matchAll(/\((?:<<|<=|=|>=|>>) ([^)\s]+)\)/g)) found.add(match[1] ?? '');

  const all = [...found].filter((v) => v !== '').sort();
  const stride = Math.max(1, Math.ceil(all.length / MAX_STATUS_VERSIONS));
  return all.filter((_, i) => i % stride === 0);
}

// Pairs chosen to hit every branch of dpkg's comparison; dpkg itself supplies the answers.
const TRICKY_PAIRS = `
1:1.0 2.0|0:1.0 1.0|00:1.0 1.0|1:2.0 1:2|2:0 1:99999999999999999999|2147483647:1 2147483648:1
1.0~rc1 1.0|1.0~~ 1.0~|1.0~~a 1.0~~|1.0~ 1.0|1.0.0~alpha 1.0.0~beta|1.0.0~beta 1.0.0~beta1
1.0.0~beta10 1.0.0~beta9|1.0.0~rc1+dfsg 1.0.0~rc1|1.0+~ 1.0+|1.0.~ 1.0.|~1 1|1:~1 1:0|~~ ~
1.0 1.0-0|1.0-1 1.0-01|1.0-1 1.0-1+b1|1.0-1+b1 1.0-2|1.0-1+b1 1.0-1.1|1.0-1+b2 1.0-1+b10
1.2.3-1-1 1.2.3-1|1.2.3-1-1 1.2.3-1.1|1.0-1~bpo12+1 1.0-1|1.0-1~bpo12+1 1.0-0.1|1.0-1. 1.0-1
1.0-1~ 1.0-1|1.0-1ubuntu1 1.0-1|1.0-1ubuntu0.1 1.0-1|1.0-0ubuntu1 1.0-1|2.5.4-1~exp1 2.5.4-1
2.36-9+deb12u1 2.36-9+deb12u2|2.36-9+deb12u9 2.36-9+deb12u10|2.36-9+deb12u2 2.36-9
2.36-9~deb12u1 2.36-9|7.88.1-10+deb12u5 7.88.1-10+deb12u12|3.0.11-1~deb12u2 3.0.11-1
5.36.0-7+deb12u1 5.36.0-7+deb12u10|20230311+deb12u1 20230710~deb12u1|9.1-1 9.1-1+b1
1.0a 1.0|1.0a 1.0+|1.0a 1.0.|1.0Z 1.0a|1.0a 1.0~|1.0-1 1.0-a|1.0.1 1.0a|1.0+ 1.0.|1.0a 1.0A
1.0 1.0.0|1.0 1.00|1.0. 1.0.0|1.010 1.10|1.0001 1.1|1.9 1.10|1.2.3 1.2.10|2.0.0 2.0|a1.0 b1.0
1.0+dfsg 1.0|1.0+dfsg-1 1.0-1|1.0~dfsg-1 1.0-1|1:1:1 1:1|1.2_3 1.2-3|1.2! 1.2|1.0:1 1.0
1.0- 1.0|:1.0 1.0|1: 1.0|1.0-1:2 1.0|1.0-1_x 1.0-1|1.0-1-1 1.0-1:1|0 0~|0~ ~|+1:1.0 1:1.0
`
  .trim()
  .split(/[|\n]/)
  .map((pair) => pair.split(' ') as [string, string]);

describe.skipIf(!hasDpkg())('versioning/dpkg', () => {
  it('has at least 60 tricky pairs', () => {
    expect(TRICKY_PAIRS.length).toBeGreaterThanOrEqual(60);
  });

  it('agrees with dpkg --compare-versions on the tricky pairs', () => {
    const expected = dpkgCompare(TRICKY_PAIRS);

    const actual = TRICKY_PAIRS.map(([a, b]) => ours(a, b));

    const rows = (answers: string[]) => TRICKY_PAIRS.map(([a, b], i) => `${a} ${answers[i]} ${b}`);
    expect(rows(actual)).toEqual(rows(expected));
  });

  it.skipIf(!existsSync(STATUS_FILE))(
    'sorts real versions from the dpkg status file like dpkg',
    () => {
      const versions = statusVersions();
      const sorted = [...versions].sort((a, b) => dpkg.compare(a, b));
      const adjacent = sorted.slice(1).map((b, i) => [sorted[i] ?? '', b] as const);
      let seed = 7;
      const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
      const pick = () => versions[Math.floor(random() * versions.length)] ?? '';
      const sampled = Array.from({ length: RANDOM_PAIRS }, () => [pick(), pick()] as const);
      const pairs = [...adjacent, ...sampled];

      // One dpkg call per pair: ask dpkg to confirm the relation we computed.
      const op = { '<': 'lt', '=': 'eq', '>': 'gt', error: 'eq' } as const;
      const codes = dpkgRelations(pairs.map(([a, b]) => [a, op[ours(a, b)], b] as const));

      const disagreements = pairs.filter((_, i) => codes[i] !== 0).map(([a, b]) => `${a} ? ${b}`);
      expect(versions.length).toBeGreaterThan(100);
      expect(disagreements).toEqual([]);
    },
  );
});
