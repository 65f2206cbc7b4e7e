/**
 * Applies one `- rule:` item: define, toggle `enabled`, append (`append: true`) or override
 * (`override:`) per https://falco.org/docs/concepts/rules/overriding/.
 */
import { parsePriority, type RuleDef } from './definitions.js';
import { mergeExceptions, toExceptionDef } from './exceptions.js';
import { makeIssue, type IssueCode } from './load-result.js';
import { warnUnknownKeys, type LoadContext } from './load-context.js';
import { planChange } from './override.js';
import { describeZodError, RuleItem } from './schemas.js';
import type { SourceItem } from './yaml-source.js';

const APPENDABLE = new Set(['condition', 'output', 'desc', 'tags', 'exceptions']);
const REPLACEABLE = new Set([
  'condition',
  'output',
  'desc',
  'priority',
  'tags',
  'exceptions',
  'enabled',
]);
const CHANGE_RULES = {
  nameKey: 'rule',
  legacyAppend: ['condition', 'exceptions'],
  appendable: APPENDABLE,
  replaceable: REPLACEABLE,
};

/**
 * Apply a rule item to the definitions in `ctx`, recording any problem against the rule.
 *
 * @example
 * applyRule({ rule: 'R', condition: 'a', output: 'o', desc: 'd', priority: 'INFO' }, item, ctx);
 */
export function applyRule(
  record: Record<string, unknown>,
  item: SourceItem,
  ctx: LoadContext,
): void {
  const name = String(record['rule']);
  const fail = (code: IssueCode, description: string): void => {
    ctx.errors.push(makeIssue(code, `rule ${name}: ${description}`, item.location, name));
  };
  const parsed = RuleItem.safeParse(record);
  if (!parsed.success) {
    fail('invalid-item', describeZodError(parsed.error));
    return;
  }
  const rule = parsed.data;
  warnUnknownKeys('rule', record, item, ctx);
  const plan = planChange(rule, CHANGE_RULES);
  const existing = ctx.defs.rules.get(name);
  const onlyEnabled = Object.keys(record).every((k) => k === 'rule' || k === 'enabled');

  if (plan.kind === 'invalid') {
    fail('invalid-override', plan.reason);
    return;
  }
  if (plan.kind === 'define' && onlyEnabled && existing && rule.enabled !== undefined) {
    // `- rule: X` + `enabled: false` turns an earlier rule off without restating it.
    existing.enabled = rule.enabled;
    return;
  }
  if (plan.kind === 'define') {
    defineRule(rule, item, ctx, fail);
    return;
  }
  if (!existing) {
    fail('append-to-unknown', 'no rule of this name is defined earlier');
    return;
  }
  for (const [key, mode] of plan.modes) {
    const problem = changeKey(existing, rule, key, mode === 'append');
    if (problem) {
      fail(problem.startsWith('priority') ? 'invalid-priority' : 'invalid-exception', problem);
      return;
    }
    if (key === 'condition') {
      existing.conditionLocation = item.locate('condition');
    }
  }
}

function defineRule(
  rule: RuleItem,
  item: SourceItem,
  ctx: LoadContext,
  fail: (code: IssueCode, description: string) => void,
): void {
  const missing = (['condition', 'output', 'desc', 'priority'] as const).filter(
    (k) => rule[k] === undefined,
  );
  if (missing.length > 0) {
    fail('invalid-item', `missing required key(s): ${missing.join(', ')}`);
    return;
  }
  const priority = parsePriority(rule.priority ?? '');
  if (!priority) {
    fail('invalid-priority', `priority ${rule.priority} is not one of EMERGENCY..DEBUG`);
    return;
  }
  const exceptions = [];
  for (const ex of rule.exceptions ?? []) {
    const def = toExceptionDef(ex);
    if (typeof def === 'string') {
      fail('invalid-exception', def);
      return;
    }
    exceptions.push(def);
  }
  const def: RuleDef = {
    name: rule.rule,
    condition: rule.condition ?? '',
    output: rule.output ?? '',
    desc: rule.desc ?? '',
    priority,
    tags: rule.tags ?? [],
    enabled: rule.enabled ?? true,
    source: rule.source ?? 'syscall',
    exceptions,
    location: item.location,
    conditionLocation: item.locate('condition'),
  };
  ctx.defs.rules.delete(def.name);
  ctx.defs.rules.set(def.name, def);
}

/** Apply one overridden key; returns a problem description or undefined. */
function changeKey(
  existing: RuleDef,
  rule: RuleItem,
  key: string,
  append: boolean,
): string | undefined {
  switch (key) {
    case 'condition':
    case 'output':
    case 'desc': {
      const text = rule[key] ?? '';
      existing[key] = append ? `${existing[key]} ${text}` : text;
      return undefined;
    }
    case 'tags':
      existing.tags = append ? [...existing.tags, ...(rule.tags ?? [])] : (rule.tags ?? []);
      return undefined;
    case 'enabled':
      existing.enabled = rule.enabled ?? existing.enabled;
      return undefined;
    case 'priority': {
      const priority = parsePriority(rule.priority ?? '');
      if (!priority) {
        return `priority ${rule.priority} is not one of EMERGENCY..DEBUG`;
      }
      existing.priority = priority;
      return undefined;
    }
    default: {
      const merged = mergeExceptions(append ? existing.exceptions : [], rule.exceptions ?? []);
      if (typeof merged === 'string') {
        return merged;
      }
      existing.exceptions = merged;
      return undefined;
    }
  }
}
