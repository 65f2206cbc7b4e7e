/**
 * The contract every version scheme implements. Matching code only ever compares versions
 * through a scheme, never as strings.
 */
export interface VersionScheme {
  /** Stable id, also the name used in the registry (`dpkg`, `apk`, `semver`). */
  readonly id: string;
  /** Link to the specification the implementation follows. */
  readonly spec: string;
  /** Whether `version` is a well-formed version in this scheme. */
  isValid(version: string): boolean;
  /**
   * Total order over valid versions: negative when a < b, 0 when equal, positive when a > b.
   * Throws `InvalidVersionError` when either side is invalid.
   */
  compare(a: string, b: string): number;
}

export class InvalidVersionError extends Error {
  constructor(
    readonly scheme: string,
    readonly version: string,
  ) {
    super(`invalid ${scheme} version "${version}"`);
    this.name = 'InvalidVersionError';
  }
}

/**
 * A version scheme with its parsed form exposed, for callers that compare one version against
 * many (the matcher parses the installed version once).
 */
export interface ParsingVersionScheme<T> extends VersionScheme {
  /** Parses a version; throws `InvalidVersionError` when it is not valid. */
  parse(version: string): T;
  compareParsed(a: T, b: T): number;
  /**
   * Whether `version` satisfies a constraint in the scheme's native syntax: a node-semver range
   * for `semver`, comma-separated relations (`>= 1.2-1, << 2.0`) for `dpkg` and `apk`.
   */
  satisfies(version: string, constraint: string): boolean;
}

/**
 * A constraint that cannot be read: an unknown operator, a missing version, an empty relation.
 * Like `InvalidVersionError` it is a soft problem: callers log it at debug and skip the record.
 *
 * @example
 * throw new InvalidConstraintError('dpkg', '=> 1.0', 'unknown operator');
 */
export class InvalidConstraintError extends Error {
  constructor(
    readonly scheme: string,
    readonly constraint: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`invalid ${scheme} constraint "${constraint}": ${reason}`, options);
    this.name = 'InvalidConstraintError';
  }
}
