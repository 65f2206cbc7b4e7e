/**
 * zod schemas for the items of a Falco rules file, per the rules reference
 * (https://falco.org/docs/reference/rules/rule-fields/). Unknown keys pass through so the
 * loader can warn about them instead of rejecting the item.
 */
import { z } from 'zod';

const Text = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const OverrideSpec = z.record(z.string(), z.enum(['append', 'replace']));
export type OverrideSpec = z.infer<typeof OverrideSpec>;

export const ListItem = z.looseObject({
  list: Text,
  items: z.array(Text).nullish(),
  append: z.boolean().optional(),
  override: OverrideSpec.optional(),
});
export type ListItem = z.infer<typeof ListItem>;

export const MacroItem = z.looseObject({
  macro: Text,
  condition: z.string(),
  append: z.boolean().optional(),
  override: OverrideSpec.optional(),
});
export type MacroItem = z.infer<typeof MacroItem>;

export const ExceptionItem = z.looseObject({
  name: Text,
  fields: z.union([z.string(), z.array(z.string())]).optional(),
  comps: z.union([z.string(), z.array(z.string())]).optional(),
  values: z.array(z.unknown()).nullish(),
});
export type ExceptionItem = z.infer<typeof ExceptionItem>;

export const RuleItem = z.looseObject({
  rule: Text,
  condition: z.string().optional(),
  output: z.string().optional(),
  desc: z.string().optional(),
  priority: z.string().optional(),
  tags: z.array(Text).nullish(),
  enabled: z.boolean().optional(),
  source: z.string().optional(),
  exceptions: z.array(ExceptionItem).nullish(),
  append: z.boolean().optional(),
  override: OverrideSpec.optional(),
});
export type RuleItem = z.infer<typeof RuleItem>;

/** Keys Falco accepts on each item kind; anything else draws an `unknown-key` warning. */
export const KNOWN_KEYS: Readonly<Record<'list' | 'macro' | 'rule', ReadonlySet<string>>> = {
  list: new Set(['list', 'items', 'append', 'override']),
  macro: new Set(['macro', 'condition', 'append', 'override']),
  rule: new Set([
    'rule',
    'condition',
    'output',
    'desc',
    'priority',
    'tags',
    'enabled',
    'source',
    'exceptions',
    'append',
    'override',
    'warn_evttypes',
    'skip-if-unknown-filter',
    'capture',
    'capture_duration',
  ]),
};

/**
 * One line per zod problem: `priority: expected string`.
 *
 * @example
 * describeZodError(RuleItem.safeParse({ rule: 'x', tags: 3 }).error!);
 */
export function describeZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'item'}: ${i.message}`).join('; ');
}
