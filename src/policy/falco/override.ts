/**
 * How an item changes an earlier one: old-style `append: true`, new-style `override:` per key
 * (https://falco.org/docs/concepts/rules/overriding/), or a plain (re)definition.
 */
import type { OverrideSpec } from './schemas.js';

export type ChangeMode = 'append' | 'replace';

export type ChangePlan =
  | { kind: 'define' }
  | { kind: 'change'; modes: Map<string, ChangeMode> }
  | { kind: 'invalid'; reason: string };

export interface ChangeRules {
  /** The key that names the item: `rule`, `macro` or `list`. */
  nameKey: string;
  /** Keys `append: true` appends to. */
  legacyAppend: readonly string[];
  appendable: ReadonlySet<string>;
  replaceable: ReadonlySet<string>;
}

/**
 * Work out what an item does to an earlier definition of the same name.
 *
 * @example
 * planChange({ list: 'shells', items: ['zsh'], append: true },
 *   { nameKey: 'list', legacyAppend: ['items'], appendable: new Set(['items']),
 *     replaceable: new Set(['items']) });
 * // { kind: 'change', modes: Map { 'items' => 'append' } }
 */
export function planChange(
  item: Record<string, unknown> & { append?: boolean; override?: OverrideSpec },
  rules: ChangeRules,
): ChangePlan {
  if (item.append === true && item.override !== undefined) {
    return { kind: 'invalid', reason: '`append` and `override` cannot be used together' };
  }
  if (item.append === true) {
    const modes = new Map<string, ChangeMode>();
    for (const key of rules.legacyAppend) {
      if (item[key] !== undefined) {
        modes.set(key, 'append');
      }
    }
    return { kind: 'change', modes };
  }
  if (item.override === undefined) {
    return { kind: 'define' };
  }
  const modes = new Map<string, ChangeMode>();
  for (const [key, mode] of Object.entries(item.override)) {
    const allowed = mode === 'append' ? rules.appendable : rules.replaceable;
    if (!allowed.has(key)) {
      return { kind: 'invalid', reason: `key '${key}' cannot be overridden with ${mode}` };
    }
    if (item[key] === undefined) {
      return { kind: 'invalid', reason: `override names '${key}' but the item does not set it` };
    }
    modes.set(key, mode);
  }
  for (const key of Object.keys(item)) {
    if (key !== rules.nameKey && key !== 'override' && !modes.has(key)) {
      return { kind: 'invalid', reason: `key '${key}' is set but not listed in override` };
    }
  }
  return { kind: 'change', modes };
}
