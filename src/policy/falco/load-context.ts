/**
 * State shared by the item appliers while one set of rules files loads.
 */
import type { Definitions } from './definitions.js';
import { makeIssue, type LoadIssue } from './load-result.js';
import { KNOWN_KEYS } from './schemas.js';
import type { SourceItem } from './yaml-source.js';

/** Shared state while applying items. */
export interface LoadContext {
  defs: Definitions;
  errors: LoadIssue[];
  warnings: LoadIssue[];
}

/**
 * Warn about keys Falco would not recognize on this item kind.
 *
 * @example
 * warnUnknownKeys('list', { list: 'a', itmes: [] }, item, ctx);
 */
export function warnUnknownKeys(
  kind: 'list' | 'macro' | 'rule',
  record: Record<string, unknown>,
  item: SourceItem,
  ctx: LoadContext,
): void {
  for (const key of Object.keys(record)) {
    if (!KNOWN_KEYS[kind].has(key)) {
      const name = String(record[kind]);
      ctx.warnings.push(
        makeIssue('unknown-key', `${kind} ${name}: unknown key '${key}'`, item.locate(key), name),
      );
    }
  }
}
