import { InvalidConstraintError } from './types.js';

/**
 * Comma-separated version relations, the constraint syntax shared by the `dpkg` and `apk`
 * schemes. Grammar (EBNF):
 *
 * ```
 * constraint = relation , { "," , relation } ;
 * relation   = { blank } , operator , { blank } , version , { blank } ;
 * operator   = one of the scheme's operators, longest match first ;
 * version    = non-blank character , { non-blank character } ;
 * ```
 */

/** One `operator version` pair of a constraint. */
export interface Relation<Op extends string> {
  readonly op: Op;
  readonly version: string;
}

/**
 * Splits a constraint into relations. It checks the syntax only; the caller parses each version
 * with its own scheme.
 *
 * @example
 * parseRelations('dpkg', '>= 1.2-1, << 2.0', ['<<', '<=', '=', '>=', '>>']);
 * // [{ op: '>=', version: '1.2-1' }, { op: '<<', version: '2.0' }]
 */
export function parseRelations<Op extends string>(
  scheme: string,
  constraint: string,
  operators: readonly Op[],
): Relation<Op>[] {
  const byLength = [...operators].sort((a, b) => b.length - a.length);
  const relations: Relation<Op>[] = [];

  for (const part of constraint.split(',')) {
    const text = part.trim();
    if (text === '') {
      throw new InvalidConstraintError(scheme, constraint, 'empty relation');
    }

    // ">= 1.2-1": the longest operator wins, so `<<` is never read as `<` then `<1.0`.
    const op = byLength.find((candidate) => text.startsWith(candidate));
    if (op === undefined) {
      throw new InvalidConstraintError(scheme, constraint, `no operator in "${text}"`);
    }

    const version = text.slice(op.length).trim();
    if (version === '' || /\s/.test(version) || /^[<>=]/.test(version)) {
      throw new InvalidConstraintError(scheme, constraint, `bad version in "${text}"`);
    }
    relations.push({ op, version });
  }

  return relations;
}

/**
 * Whether a parsed version satisfies every relation of a constraint. All relation versions are
 * parsed first, so a bad one throws even when an earlier relation already failed.
 *
 * @example
 * const accepts = { '>=': [0, 1], '<<': [-1] } as const;
 * satisfiesRelations('dpkg', '>= 1.2, << 2', accepts, parse, compareParsed, parse('1.5')); // true
 */
export function satisfiesRelations<T, Op extends string>(
  scheme: string,
  constraint: string,
  accepts: Readonly<Record<Op, readonly number[]>>,
  parse: (version: string) => T,
  compareParsed: (a: T, b: T) => number,
  version: T,
): boolean {
  const operators = Object.keys(accepts) as Op[];
  const bounds = parseRelations(scheme, constraint, operators).map(({ op, version: bound }) => {
    try {
      return { op, bound: parse(bound) };
    } catch (err) {
      throw new InvalidConstraintError(scheme, constraint, `bad version "${bound}"`, {
        cause: err,
      });
    }
  });

  for (const { op, bound } of bounds) {
    const sign = Math.sign(compareParsed(version, bound));
    if (!accepts[op].includes(sign)) {
      return false;
    }
  }

  return true;
}
