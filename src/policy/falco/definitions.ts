/**
 * The rules, macros and lists as written in the files, after appends and overrides are applied
 * but before compilation. Maps keep definition order, which is Falco's evaluation order.
 */
import type { SourceLocation } from './load-result.js';

export const PRIORITIES = [
  'EMERGENCY',
  'ALERT',
  'CRITICAL',
  'ERROR',
  'WARNING',
  'NOTICE',
  'INFORMATIONAL',
  'DEBUG',
] as const;

export type Priority = (typeof PRIORITIES)[number];

export interface ListDef {
  name: string;
  items: string[];
  location: SourceLocation;
}

export interface MacroDef {
  name: string;
  condition: string;
  location: SourceLocation;
  /** Where the last contributing `condition:` text starts, for syntax errors. */
  conditionLocation: SourceLocation;
}

/** One `exceptions:` entry; `fields` as a string is Falco's single-field shorthand. */
export interface ExceptionDef {
  name: string;
  fields: string | string[];
  comps: string | string[] | undefined;
  values: unknown[];
}

export interface RuleDef {
  name: string;
  condition: string;
  output: string;
  desc: string;
  priority: Priority;
  tags: string[];
  enabled: boolean;
  source: string;
  exceptions: ExceptionDef[];
  location: SourceLocation;
  conditionLocation: SourceLocation;
}

export interface Definitions {
  lists: Map<string, ListDef>;
  macros: Map<string, MacroDef>;
  rules: Map<string, RuleDef>;
}

/**
 * An empty set of definitions, the starting point for loading files in order.
 *
 * @example
 * const defs = emptyDefinitions();
 */
export function emptyDefinitions(): Definitions {
  return { lists: new Map(), macros: new Map(), rules: new Map() };
}

/**
 * Parse a priority case-insensitively (`Warning`, `INFO` for INFORMATIONAL).
 *
 * @example
 * parsePriority('warning'); // 'WARNING'
 */
export function parsePriority(text: string): Priority | undefined {
  const upper = text.toUpperCase();
  const normalized = upper === 'INFO' ? 'INFORMATIONAL' : upper;
  return PRIORITIES.find((p) => p === normalized);
}
