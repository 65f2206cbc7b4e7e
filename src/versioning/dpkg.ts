import { satisfiesRelations } from './relations.js';
import { InvalidVersionError, type ParsingVersionScheme } from './types.js';

/** A Debian version split into its three parts: `[epoch:]upstream[-revision]`. */
export interface DpkgVersion {
  readonly epoch: number;
  readonly upstream: string;
  /** Empty when the version has no `-`, which sorts like an empty revision (native package). */
  readonly revision: string;
  /** Set when dpkg would accept the version with a "bad syntax" warning instead of an error. */
  readonly warning?: string;
}

const SCHEME = 'dpkg';
const MAX_EPOCH = 2 ** 31 - 1; // dpkg stores the epoch in a C int
const DIGIT = /^[0-9]$/;
const UPSTREAM_CHARS = /^[0-9A-Za-z.+~:-]*$/;
const REVISION_CHARS = /^[0-9A-Za-z.+~]*$/;

/**
 * Splits a version the way dpkg's `parseversion()` does. Problems dpkg reports as errors throw;
 * problems it only warns about (upstream not starting with a digit, a stray `_` or `!`) are kept
 * in `warning`, because `dpkg --compare-versions` still compares such versions.
 *
 * The empty string is rejected: it is not a version, and only the `dpkg --compare-versions`
 * command line reads it as "no version at all".
 *
 * @example
 * parseDpkgVersion('1:2.36-9+deb12u4'); // { epoch: 1, upstream: '2.36', revision: '9+deb12u4' }
 */
export function parseDpkgVersion(version: string): DpkgVersion {
  const fail = (): never => {
    throw new InvalidVersionError(SCHEME, version);
  };

  // dpkg trims blanks (space, tab) at both ends but refuses them inside. Non-ASCII bytes are
  // refused too: dpkg orders them by the platform's `char` signedness, so there is no single
  // order to follow, and no Debian archive version contains them. NUL cannot reach dpkg at all.
  const text = version.replace(/^[ \t]+|[ \t]+$/g, '');
  if (text === '' || /[ \t]/.test(text)) return fail();
  if (/[^\p{ASCII}]/u.test(text) || text.includes('\0')) return fail();

  // "1:2.0-3": the epoch runs up to the first colon and must be a decimal number.
  let epoch = 0;
  let rest = text;
  const colon = text.indexOf(':');
  if (colon >= 0) {
    // dpkg reads the epoch with strtol(), which also skips other white space and takes a sign.
    const match = /^[\n\v\f\r]*([+-]?)([0-9]+)$/.exec(text.slice(0, colon));
    if (match === null || colon === text.length - 1) return fail();
    epoch = Number(match[2]);
    if ((match[1] === '-' && epoch > 0) || epoch > MAX_EPOCH) return fail();
    rest = text.slice(colon + 1);
  }

  // "2.0-3-1": the revision is whatever follows the last hyphen.
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : '';
  if (upstream === '' || (hyphen >= 0 && revision === '')) return fail();

  const warning = syntaxWarning(upstream, revision);
  return warning === undefined
    ? { epoch, upstream, revision }
    : { epoch, upstream, revision, warning };
}

/** The first of dpkg's non-fatal syntax complaints that applies, in dpkg's own wording. */
function syntaxWarning(upstream: string, revision: string): string | undefined {
  if (!DIGIT.test(upstream.charAt(0))) return 'version number does not start with digit';
  if (!UPSTREAM_CHARS.test(upstream)) return 'invalid character in version number';
  if (!REVISION_CHARS.test(revision)) return 'invalid character in revision number';
  return undefined;
}

/** Sort weight of the character at `i` in one non-digit run (deb-version(7), "Sorting"). */
function weight(s: string, i: number): number {
  if (i >= s.length) return 0; // end of the part sorts with digits: after `~`, before the rest
  const code = s.charCodeAt(i);
  if (code >= 0x30 && code <= 0x39) return 0;
  if ((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a)) return code;
  if (code === 0x7e) return -1; // `~` sorts before anything, even the end of the part
  return code + 256; // other characters sort after all letters
}

function isDigit(s: string, i: number): boolean {
  const code = s.charCodeAt(i); // NaN past the end
  return code >= 0x30 && code <= 0x39;
}

/**
 * Compares an upstream version or a revision: alternating non-digit runs (by `weight`) and digit
 * runs (numerically, so `010` equals `10`), left to right.
 */
function compareFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;

  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a, i)) || (j < b.length && !isDigit(b, j))) {
      const diff = weight(a, i) - weight(b, j);
      if (diff !== 0) return Math.sign(diff);
      i++;
      j++;
    }

    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    const startA = i;
    const startB = j;
    while (isDigit(a, i)) i++;
    while (isDigit(b, j)) j++;
    if (i - startA !== j - startB) return Math.sign(i - startA - (j - startB));
    const runA = a.slice(startA, i);
    const runB = b.slice(startB, j);
    if (runA !== runB) return runA < runB ? -1 : 1;
  }

  return 0;
}

function compareParsed(a: DpkgVersion, b: DpkgVersion): number {
  if (a.epoch !== b.epoch) return Math.sign(a.epoch - b.epoch);
  return compareFragment(a.upstream, b.upstream) || compareFragment(a.revision, b.revision);
}

/**
 * Signs of `compare(version, bound)` each operator accepts. Bare `<` and `>` are the deprecated
 * spellings of `<=` and `>=` (Debian Policy 7.1; dpkg still reads them that way), not strict
 * comparisons.
 */
const OPERATORS = {
  '<<': [-1],
  '<=': [-1, 0],
  '<': [-1, 0],
  '=': [0],
  '>=': [0, 1],
  '>': [0, 1],
  '>>': [1],
} as const;

/**
 * Debian package versions, ordered exactly like `dpkg --compare-versions`.
 *
 * Spec: https://manpages.debian.org/bookworm/dpkg-dev/deb-version.7.en.html and
 * https://www.debian.org/doc/debian-policy/ch-controlfields.html#version (Policy 5.6.12).
 *
 * @example
 * dpkg.compare('1:1.0', '2.0'); // > 0, the epoch wins
 * dpkg.compare('1.0~rc1', '1.0'); // < 0
 * dpkg.satisfies('2.36-9+deb12u4', '>= 2.36-9+deb12u3, << 2.37'); // true
 */
export const dpkg: ParsingVersionScheme<DpkgVersion> = {
  id: SCHEME,
  spec: 'https://manpages.debian.org/bookworm/dpkg-dev/deb-version.7.en.html',
  isValid(version) {
    try {
      parseDpkgVersion(version);
      return true;
    } catch {
      return false;
    }
  },
  parse: parseDpkgVersion,
  compareParsed,
  compare(a, b) {
    return compareParsed(parseDpkgVersion(a), parseDpkgVersion(b));
  },
  satisfies(version, constraint) {
    const parsed = parseDpkgVersion(version);
    return satisfiesRelations(
      SCHEME,
      constraint,
      OPERATORS,
      parseDpkgVersion,
      compareParsed,
      parsed,
    );
  },
};
