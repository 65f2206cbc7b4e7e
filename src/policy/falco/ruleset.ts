/**
 * Compiled rules indexed by event type: an event runs only the rules of its type plus the
 * catch-all rules, in definition order (the shape of Falco's evttype index).
 */
import type { CompiledRule } from './compiler.js';
import type { RuntimeEvent } from './event.js';
import type { Priority } from './definitions.js';

export interface RuleMatch {
  rule: string;
  priority: Priority;
  tags: readonly string[];
  output: string;
  outputFields: Record<string, string>;
}

export interface Ruleset {
  /** Every loaded rule, in definition order. */
  readonly rules: readonly CompiledRule[];
  /** The rules an event of `type` runs through. */
  rulesFor(type: string): readonly CompiledRule[];
  /** Every rule that matches the event, with its rendered output. */
  evaluate(event: RuntimeEvent): RuleMatch[];
}

/**
 * Index compiled rules by event type.
 *
 * @example
 * const ruleset = buildRuleset(compileRules(defs).rules);
 * ruleset.evaluate(event).map((m) => m.rule);
 */
export function buildRuleset(rules: readonly CompiledRule[]): Ruleset {
  const byType = new Map<string, CompiledRule[]>();
  const catchAll = rules.filter((r) => r.eventTypes === 'all');
  for (const rule of rules) {
    for (const type of rule.eventTypes === 'all' ? [] : rule.eventTypes) {
      byType.set(type, [...(byType.get(type) ?? []), rule]);
    }
  }
  const order = new Map(rules.map((r, i) => [r, i]));
  const merged = new Map<string, CompiledRule[]>();

  function rulesFor(type: string): readonly CompiledRule[] {
    const cached = merged.get(type);
    if (cached) {
      return cached;
    }
    const list = [...(byType.get(type) ?? []), ...catchAll];
    list.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    merged.set(type, list);
    return list;
  }

  function evaluate(event: RuntimeEvent): RuleMatch[] {
    const matches: RuleMatch[] = [];
    for (const compiled of rulesFor(event.evt.type)) {
      if (!compiled.predicate(event)) {
        continue;
      }
      const { text, fields } = compiled.output.render(event);
      const { name, priority, tags } = compiled.rule;
      matches.push({ rule: name, priority, tags, output: text, outputFields: fields });
    }
    return matches;
  }

  return { rules, rulesFor, evaluate };
}
