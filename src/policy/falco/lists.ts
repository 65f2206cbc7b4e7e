/**
 * Expands lists that name other lists (`items: [shell_binaries, zsh]`) into plain values.
 */
import type { ListDef } from './definitions.js';
import { makeIssue, type LoadIssue } from './load-result.js';

/**
 * Resolve every list to its final items; a cycle is reported and the looping name kept as a
 * plain value.
 *
 * @example
 * resolveLists(defs.lists).lists.get('shells'); // ['bash', 'sh', 'zsh']
 */
export function resolveLists(defs: ReadonlyMap<string, ListDef>): {
  lists: Map<string, string[]>;
  errors: LoadIssue[];
} {
  const lists = new Map<string, string[]>();
  const errors: LoadIssue[] = [];
  const active = new Set<string>();

  function resolve(def: ListDef): string[] {
    const done = lists.get(def.name);
    if (done) {
      return done;
    }
    active.add(def.name);
    const out: string[] = [];
    for (const item of def.items) {
      const ref = defs.get(item);
      if (ref && active.has(item)) {
        errors.push(
          makeIssue(
            'list-cycle',
            `list ${def.name} includes ${item}, which includes it`,
            def.location,
            def.name,
          ),
        );
        out.push(item);
      } else if (ref) {
        out.push(...resolve(ref));
      } else {
        out.push(item);
      }
    }
    active.delete(def.name);
    lists.set(def.name, out);
    return out;
  }

  for (const def of defs.values()) {
    resolve(def);
  }
  return { lists, errors };
}
