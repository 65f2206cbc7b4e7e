import { SemVer, validRange, satisfies as inRange } from 'semver';

import { InvalidConstraintError, InvalidVersionError, type ParsingVersionScheme } from './types.js';

const SCHEME = 'semver';
const OPTIONS = { loose: false, includePrerelease: true } as const;

/**
 * Parses a strict SemVer 2.0.0 version. A leading `v` is tolerated (`v1.2.3`), as node-semver
 * does in strict mode; partial versions (`1.2`), leading zeros (`01.2.3`) and other loose forms
 * are rejected.
 *
 * @example
 * parseSemver('v1.2.3-rc.1+build.5').prerelease; // ['rc', 1]
 */
export function parseSemver(version: string): SemVer {
  try {
    return new SemVer(version, OPTIONS);
  } catch {
    throw new InvalidVersionError(SCHEME, version);
  }
}

/**
 * npm-style semantic versions, a thin wrapper around the `semver` package (node-semver).
 * Precedence follows SemVer 2.0.0 section 11: pre-releases sort before their release and build
 * metadata is ignored, so `1.0.0+a` and `1.0.0+b` compare equal. `satisfies` takes a
 * node-semver range and lets pre-releases match (`includePrerelease`), because a vulnerable
 * range such as `<1.4.2` must also catch `1.4.2-rc.1`.
 *
 * Spec: https://semver.org/spec/v2.0.0.html and, for ranges,
 * https://github.com/npm/node-semver#ranges.
 *
 * @example
 * semver.compare('1.0.0-beta.11', '1.0.0-beta.2'); // > 0
 * semver.compare('1.0.0+a', '1.0.0+b'); // 0
 * semver.satisfies('1.4.2-rc.1', '>=1.0.0 <1.4.2'); // true
 */
export const semver: ParsingVersionScheme<SemVer> = {
  id: SCHEME,
  spec: 'https://semver.org/spec/v2.0.0.html',
  isValid(version) {
    try {
      parseSemver(version);
      return true;
    } catch {
      return false;
    }
  },
  parse: parseSemver,
  compareParsed(a, b) {
    return a.compare(b);
  },
  compare(a, b) {
    return parseSemver(a).compare(parseSemver(b));
  },
  satisfies(version, constraint) {
    const parsed = parseSemver(version);
    // node-semver answers `false` for a range it cannot read; we want to tell the two apart.
    if (validRange(constraint, OPTIONS) === null) {
      throw new InvalidConstraintError(SCHEME, constraint, 'not a node-semver range');
    }

    return inRange(parsed, constraint, OPTIONS);
  },
};
