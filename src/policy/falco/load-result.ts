/**
 * Coded problems found while loading and compiling rules files, in the `{ ok, errors,
 * warnings }` shape STYLE.md asks of every loader. Codes are stable kebab-case strings; the
 * title is fixed per code and the description carries the specifics.
 */

/** A place in a rules file; line and column are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  col: number;
}

export const ISSUE_TITLES = {
  'file-unreadable': 'rules file could not be read',
  'yaml-syntax': 'invalid YAML',
  'yaml-alias-limit': 'too many YAML alias expansions',
  'invalid-document': 'document is not a sequence of items',
  'invalid-item': 'item is malformed',
  'unknown-item': 'unknown item kind',
  'unknown-key': 'unknown key in item',
  'ignored-item': 'item accepted but not enforced',
  'invalid-priority': 'unknown priority',
  'invalid-exception': 'malformed exception',
  'append-to-unknown': 'append or override of an undefined item',
  'invalid-override': 'malformed override',
  'condition-syntax': 'condition does not parse',
  'undefined-macro': 'condition uses an undefined macro',
  'macro-cycle': 'macros reference each other in a cycle',
  'list-cycle': 'lists reference each other in a cycle',
  'rule-not-evaluable': 'rule cannot be evaluated by bulkhead',
  'no-event-type': 'rule is not restricted to event types',
  'unsupported-event-types': 'some event types are not produced by the sensor',
} as const;

export type IssueCode = keyof typeof ISSUE_TITLES;

export interface LoadIssue {
  code: IssueCode;
  title: string;
  description: string;
  location: SourceLocation;
  /** The rule, macro or list the issue belongs to, when there is one. */
  item?: string;
}

/** The common result of rules loading steps. */
export interface LoadResultBase {
  ok: boolean;
  errors: LoadIssue[];
  warnings: LoadIssue[];
}

/**
 * Build an issue with the fixed title of its code.
 *
 * @example
 * makeIssue('invalid-priority', 'priority LOUD is not one of EMERGENCY..DEBUG',
 *   { file: 'r.yaml', line: 3, col: 13 }, 'My rule');
 */
export function makeIssue(
  code: IssueCode,
  description: string,
  location: SourceLocation,
  item?: string,
): LoadIssue {
  const issue: LoadIssue = { code, title: ISSUE_TITLES[code], description, location };
  if (item !== undefined) {
    issue.item = item;
  }
  return issue;
}

/**
 * Render a location as `file:line:col`.
 *
 * @example
 * formatLocation({ file: 'r.yaml', line: 3, col: 5 }); // 'r.yaml:3:5'
 */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.col}`;
}
