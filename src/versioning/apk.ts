import { satisfiesRelations } from './relations.js';
import { InvalidVersionError, type ParsingVersionScheme } from './types.js';

/**
 * Token kinds in the order apk-tools ranks them. When two versions agree on every token up to the
 * point where one has a different kind of token, the one whose token ranks *higher* is the older
 * version (`1.0` with `end` is older than `1.0.1` with `digit`), except pre-release suffixes.
 */
const RANK = {
  initial: 0,
  digit: 1,
  letter: 2,
  suffix: 3,
  suffixNumber: 4,
  hash: 5,
  revision: 6,
  end: 7,
} as const;
type TokenKind = keyof typeof RANK;

/** Suffix weights; below `NO_SUFFIX` are pre-releases, above it post-releases. */
const SUFFIXES: Readonly<Record<string, number>> = {
  alpha: 1,
  beta: 2,
  pre: 3,
  rc: 4,
  cvs: 6,
  svn: 7,
  git: 8,
  hg: 9,
  p: 10,
};
const NO_SUFFIX = 5;

/** One token of an apk version, e.g. `_rc` (suffix) or `12` (the number after it). */
export interface ApkToken {
  readonly kind: TokenKind;
  /** The token's text without its separator: `12` for `.12`, `rc` for `_rc`, `3` for `-r3`. */
  readonly text: string;
}

/** A tokenized apk version; the last token is always `end`. */
export interface ApkVersion {
  readonly tokens: readonly ApkToken[];
}

const SCHEME = 'apk';

/**
 * Splits a version into tokens following apk-tools' grammar
 * `digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}`.
 *
 * @example
 * parseApkVersion('1.2.3_rc1-r0').tokens.map((t) => t.text); // ['1','2','3','rc','1','0','']
 */
export function parseApkVersion(version: string): ApkVersion {
  const fail = (): never => {
    throw new InvalidVersionError(SCHEME, version);
  };
  const tokens: ApkToken[] = [];
  let pos = 0;
  const take = (pattern: RegExp): string => {
    const match = pattern.exec(version.slice(pos));
    const text = match?.[0] ?? '';
    pos += text.length;
    return text;
  };
  const last = (): number => RANK[tokens[tokens.length - 1]?.kind ?? 'initial'];

  const first = take(/^[0-9]+/);
  if (first === '') return fail();
  tokens.push({ kind: 'initial', text: first });

  while (pos < version.length) {
    const c = version.charAt(pos);
    const rank = last();
    let kind: TokenKind;
    let text: string;

    if (c >= 'a' && c <= 'z' && rank <= RANK.digit) {
      // "1.2a": one lowercase letter right after a number
      [kind, text] = ['letter', c];
      pos++;
    } else if (c === '.' && rank <= RANK.digit) {
      // "1.2": another dotted number
      pos++;
      [kind, text] = ['digit', take(/^[0-9]+/)];
    } else if (c >= '0' && c <= '9' && rank === RANK.suffix) {
      // "_rc2": the number that belongs to a suffix
      [kind, text] = ['suffixNumber', take(/^[0-9]+/)];
    } else if (c === '_' && rank <= RANK.suffixNumber) {
      // "_beta", "_p": a known suffix word
      pos++;
      [kind, text] = ['suffix', take(/^[a-z]+/)];
      if (SUFFIXES[text] === undefined) return fail();
    } else if (c === '~' && rank < RANK.hash) {
      // "~a1b2c3": a commit hash (apk-tools 3)
      pos++;
      [kind, text] = ['hash', take(/^[0-9a-f]+/)];
    } else if (version.startsWith('-r', pos) && rank < RANK.revision) {
      // "-r10": the package revision
      pos += 2;
      [kind, text] = ['revision', take(/^[0-9]+/)];
    } else {
      return fail();
    }

    if (text === '') return fail();
    tokens.push({ kind, text });
  }

  tokens.push({ kind: 'end', text: '' });
  return { tokens };
}

/** Compares decimal digit strings of any length by value. */
function compareNumbers(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return Math.sign(x.length - y.length);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Byte-wise comparison, the shorter string first on a common prefix (apk's blob sort). */
function compareText(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function compareTokens(a: ApkToken, b: ApkToken): number {
  switch (a.kind) {
    case 'digit':
      // "1.05" vs "1.5": a leading zero makes the part compare as text (Gentoo rule).
      // TODO: apk-tools before the token rewrite weighed leading zeros differently (there
      // `1.0` > `1.00`, here `1.0` < `1.00`); versions that differ only so may be misordered
      // for images built with those old releases.
      if (a.text.startsWith('0') || b.text.startsWith('0')) return compareText(a.text, b.text);
      return compareNumbers(a.text, b.text);
    case 'initial':
    case 'suffixNumber':
    case 'revision':
      return compareNumbers(a.text, b.text);
    case 'suffix':
      return Math.sign((SUFFIXES[a.text] ?? 0) - (SUFFIXES[b.text] ?? 0));
    default:
      return compareText(a.text, b.text);
  }
}

function compareParsed(a: ApkVersion, b: ApkVersion): number {
  for (let i = 0; ; i++) {
    const x = a.tokens[i];
    const y = b.tokens[i];
    if (x === undefined || y === undefined) return 0; // unreachable: both end with `end`

    if (x.kind !== y.kind) {
      // "1.0_rc1" < "1.0" < "1.0_p1": a pre-release suffix loses against anything else
      if (x.kind === 'suffix' && (SUFFIXES[x.text] ?? 0) < NO_SUFFIX) return -1;
      if (y.kind === 'suffix' && (SUFFIXES[y.text] ?? 0) < NO_SUFFIX) return 1;
      return RANK[x.kind] > RANK[y.kind] ? -1 : 1;
    }
    if (x.kind === 'end') return 0;

    const diff = compareTokens(x, y);
    if (diff !== 0) return diff;
  }
}

// TODO: apk's fuzzy operators (`~`, `>~`, `<~`, prefix matching) are not accepted; a constraint
// using them throws InvalidConstraintError, so such a record is skipped instead of matched.
const OPERATORS = {
  '<': [-1],
  '<=': [-1, 0],
  '=': [0],
  '>=': [0, 1],
  '>': [1],
} as const;

/**
 * Alpine package versions, ordered like `apk version -t`.
 *
 * Spec: apk-tools `src/version.c`
 * (https://gitlab.alpinelinux.org/alpine/apk-tools/-/blob/master/src/version.c) and
 * https://wiki.alpinelinux.org/wiki/Package_policies#Package_versions.
 *
 * @example
 * apk.compare('1.2.3_rc1-r0', '1.2.3-r0'); // < 0
 * apk.compare('1.2.3_p1-r0', '1.2.3-r10'); // > 0
 * apk.satisfies('3.1.4-r5', '>= 3.1.4-r3, < 3.2'); // true
 */
export const apk: ParsingVersionScheme<ApkVersion> = {
  id: SCHEME,
  spec: 'https://gitlab.alpinelinux.org/alpine/apk-tools/-/blob/master/src/version.c',
  isValid(version) {
    try {
      parseApkVersion(version);
      return true;
    } catch {
      return false;
    }
  },
  parse: parseApkVersion,
  compareParsed,
  compare(a, b) {
    return compareParsed(parseApkVersion(a), parseApkVersion(b));
  },
  satisfies(version, constraint) {
    const parsed = parseApkVersion(version);
    return satisfiesRelations(
      SCHEME,
      constraint,
      OPERATORS,
      parseApkVersion,
      compareParsed,
      parsed,
    );
  },
};
