import type { ParsingVersionScheme, VersionScheme } from './types.js';

/**
 * Samples in ascending order. A nested array is a group of versions of equal precedence, such as
 * `['1.0.0+a', '1.0.0+b']` in SemVer or `['1.0', '1.00']` in dpkg.
 */
export type OrderedSamples = readonly (string | readonly string[])[];

/**
 * The fewest samples a scheme's test must pass; fewer say too little about the order.
 *
 * @example
 * checkConformance(dpkg, ['1.0', '2.0']); // ['only 2 samples, at least 25 are needed']
 */
export const MIN_SAMPLES = 25;
const MAX_PROBLEMS = 40;

/** A fixed-seed generator (mulberry32), so a failing shuffle is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function sign(n: number): number {
  return n === 0 ? 0 : n < 0 ? -1 : 1;
}

/**
 * Checks that a scheme orders the samples as listed and that its order is a total order: every
 * pair compares with the sign its positions imply (which makes the order total, antisymmetric
 * and transitive over the samples), `compare(a, b) === -compare(b, a)`, `compareParsed` agrees
 * with `compare`, and sorting shuffled copies reproduces the list. Returns one message per
 * violation, so a test asserts an empty array and sees every problem at once.
 *
 * @example
 * expect(checkConformance(dpkg, ['1.0~rc1', '1.0', ['1.0-0', '1.0-00'], '1:0.1'])).toEqual([]);
 */
export function checkConformance(
  scheme: VersionScheme | ParsingVersionScheme<unknown>,
  samples: OrderedSamples,
): string[] {
  const entries = samples.flatMap((item, group) =>
    (typeof item === 'string' ? [item] : item).map((version) => ({ version, group })),
  );
  const problems: string[] = [];
  if (entries.length < MIN_SAMPLES) {
    problems.push(`only ${entries.length} samples, at least ${MIN_SAMPLES} are needed`);
  }

  const invalid = entries.filter(({ version }) => !scheme.isValid(version));
  for (const { version } of invalid) problems.push(`"${version}" is not valid`);
  if (invalid.length > 0) return problems;

  const parse = 'parse' in scheme ? scheme.parse.bind(scheme) : undefined;
  const parsed = entries.map(({ version }) => parse?.(version));
  entries.forEach((a, i) => {
    entries.forEach((b, j) => {
      const expected = sign(a.group - b.group);
      const forward = scheme.compare(a.version, b.version);
      const backward = scheme.compare(b.version, a.version);
      if (sign(forward) !== expected) {
        problems.push(
          `compare("${a.version}", "${b.version}") is ${forward}, want sign ${expected}`,
        );
      }
      if (sign(forward) !== -sign(backward)) {
        problems.push(`compare is not antisymmetric for "${a.version}" and "${b.version}"`);
      }
      if (
        'compareParsed' in scheme &&
        sign(scheme.compareParsed(parsed[i], parsed[j])) !== sign(forward)
      ) {
        problems.push(`compareParsed disagrees with compare for "${a.version}", "${b.version}"`);
      }
    });
  });

  // Array.prototype.sort is stable, so equal-precedence versions may keep any relative order;
  // only the sequence of groups must come back.
  const random = seededRandom(0x5eed);
  const wanted = entries.map(({ group }) => group).join(',');
  for (let round = 0; round < 5; round++) {
    const shuffled = entries
      .map((entry) => ({ entry, key: random() }))
      .sort((x, y) => x.key - y.key)
      .map(({ entry }) => entry);
    const sorted = shuffled.sort((x, y) => scheme.compare(x.version, y.version));
    const got = sorted.map(({ group }) => group).join(',');
    if (got !== wanted) {
      problems.push(`sorting a shuffled copy gave ${sorted.map((e) => e.version).join(' < ')}`);
      break;
    }
  }

  // One misplaced sample breaks dozens of pairs; the first few messages are enough to find it.
  return problems.length > MAX_PROBLEMS
    ? [...problems.slice(0, MAX_PROBLEMS), `and ${problems.length - MAX_PROBLEMS} more`]
    : problems;
}
