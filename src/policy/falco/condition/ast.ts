/**
 * The syntax tree of a Falco condition. Positions are 1-based columns into the condition text,
 * so a loader can point at the offending spot.
 */

/** Operators that compare a field with one value or a list of values. */
export type CompareOp =
  | '='
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'in'
  | 'intersects'
  | 'pmatch'
  | 'contains'
  | 'icontains'
  | 'bcontains'
  | 'startswith'
  | 'bstartswith'
  | 'endswith'
  | 'glob'
  | 'regex';

/** Operators that take a list on their right-hand side. */
export const LIST_OPS: ReadonlySet<CompareOp> = new Set(['in', 'intersects', 'pmatch']);

/** A field such as `fd.name`, `proc.aname[2]` or `evt.arg.flags`. */
export interface FieldRef {
  name: string;
  arg?: string;
  col: number;
}

/** One value: `bash`, `"sh -c"`, `0`. */
export interface ScalarValue {
  kind: 'scalar';
  text: string;
  quoted: boolean;
  col: number;
}

/** A parenthesized list: `(bash, "sh -c", shell_binaries)`. */
export interface ListValue {
  kind: 'list';
  items: ScalarValue[];
  col: number;
}

export type ValueNode = ScalarValue | ListValue;

export type ConditionNode =
  | { kind: 'and'; children: ConditionNode[]; col: number }
  | { kind: 'or'; children: ConditionNode[]; col: number }
  | { kind: 'not'; child: ConditionNode; col: number }
  | { kind: 'compare'; field: FieldRef; op: CompareOp; value: ValueNode; col: number }
  | { kind: 'exists'; field: FieldRef; col: number }
  | { kind: 'macro'; name: string; col: number };
