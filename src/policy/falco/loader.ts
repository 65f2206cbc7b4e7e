/**
 * Loads Falco rules files, in order, into {@link Definitions}. Later files append to or
 * override items of earlier ones. A malformed item is reported and skipped; the rest of the
 * file still loads, as in Falco.
 */
import { emptyDefinitions, type Definitions } from './definitions.js';
import { applyRule } from './rule-apply.js';
import { makeIssue, type LoadResultBase } from './load-result.js';
import { planChange } from './override.js';
import { describeZodError, ListItem, MacroItem } from './schemas.js';
import { warnUnknownKeys, type LoadContext } from './load-context.js';
import { readSourceItems, type SourceItem } from './yaml-source.js';

/** One rules file's name (for locations) and text. */
export interface RuleSource {
  file: string;
  text: string;
}

export interface DefinitionsResult extends LoadResultBase {
  definitions: Definitions;
}

const IGNORED_KINDS = ['required_engine_version', 'required_plugin_versions'];
const ONE_KEY = new Set(['condition']);
const ITEMS_KEY = new Set(['items']);

/**
 * Load rules sources in order into one set of definitions.
 *
 * @example
 * const r = loadDefinitions([{ file: 'r.yaml', text: '- list: shells\n  items: [bash]\n' }]);
 * r.definitions.lists.get('shells')?.items; // ['bash']
 */
export function loadDefinitions(sources: readonly RuleSource[]): DefinitionsResult {
  const ctx: LoadContext = { defs: emptyDefinitions(), errors: [], warnings: [] };
  for (const source of sources) {
    const { items, errors } = readSourceItems(source.file, source.text);
    ctx.errors.push(...errors);
    for (const item of items) {
      applyItem(item, ctx);
    }
  }
  return {
    ok: ctx.errors.length === 0,
    errors: ctx.errors,
    warnings: ctx.warnings,
    definitions: ctx.defs,
  };
}

function applyItem(item: SourceItem, ctx: LoadContext): void {
  const value = item.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.errors.push(
      makeIssue('invalid-item', 'expected a mapping such as `- rule: ...`', item.location),
    );
    return;
  }
  const record = value as Record<string, unknown>;
  if ('rule' in record) {
    applyRule(record, item, ctx);
  } else if ('macro' in record) {
    applyMacro(record, item, ctx);
  } else if ('list' in record) {
    applyList(record, item, ctx);
  } else {
    const kind = IGNORED_KINDS.find((k) => k in record);
    const code = kind ? 'ignored-item' : 'unknown-item';
    const description = kind
      ? `${kind} is accepted; bulkhead does not check engine or plugin versions`
      : `item has none of rule, macro or list (keys: ${Object.keys(record).join(', ')})`;
    ctx.warnings.push(makeIssue(code, description, item.location));
  }
}

function applyList(record: Record<string, unknown>, item: SourceItem, ctx: LoadContext): void {
  const parsed = ListItem.safeParse(record);
  if (!parsed.success) {
    const name = String(record['list']);
    ctx.errors.push(
      makeIssue(
        'invalid-item',
        `list ${name}: ${describeZodError(parsed.error)}`,
        item.location,
        name,
      ),
    );
    return;
  }
  const list = parsed.data;
  warnUnknownKeys('list', record, item, ctx);
  const rules = {
    nameKey: 'list',
    legacyAppend: ['items'],
    appendable: ITEMS_KEY,
    replaceable: ITEMS_KEY,
  };
  const plan = planChange(list, rules);
  const items = list.items ?? [];
  const existing = ctx.defs.lists.get(list.list);

  if (plan.kind === 'invalid') {
    ctx.errors.push(
      makeIssue('invalid-override', `list ${list.list}: ${plan.reason}`, item.location, list.list),
    );
  } else if (plan.kind === 'define') {
    ctx.defs.lists.set(list.list, { name: list.list, items, location: item.location });
  } else if (!existing) {
    ctx.errors.push(
      makeIssue(
        'append-to-unknown',
        `list ${list.list} is not defined earlier`,
        item.location,
        list.list,
      ),
    );
  } else {
    existing.items = plan.modes.get('items') === 'replace' ? items : [...existing.items, ...items];
  }
}

function applyMacro(record: Record<string, unknown>, item: SourceItem, ctx: LoadContext): void {
  const parsed = MacroItem.safeParse(record);
  if (!parsed.success) {
    const name = String(record['macro']);
    ctx.errors.push(
      makeIssue(
        'invalid-item',
        `macro ${name}: ${describeZodError(parsed.error)}`,
        item.location,
        name,
      ),
    );
    return;
  }
  const macro = parsed.data;
  warnUnknownKeys('macro', record, item, ctx);
  const rules = {
    nameKey: 'macro',
    legacyAppend: ['condition'],
    appendable: ONE_KEY,
    replaceable: ONE_KEY,
  };
  const plan = planChange(macro, rules);
  const existing = ctx.defs.macros.get(macro.macro);
  const conditionLocation = item.locate('condition');

  if (plan.kind === 'invalid') {
    ctx.errors.push(
      makeIssue(
        'invalid-override',
        `macro ${macro.macro}: ${plan.reason}`,
        item.location,
        macro.macro,
      ),
    );
  } else if (plan.kind === 'define') {
    ctx.defs.macros.set(macro.macro, {
      name: macro.macro,
      condition: macro.condition,
      location: item.location,
      conditionLocation,
    });
  } else if (!existing) {
    ctx.errors.push(
      makeIssue(
        'append-to-unknown',
        `macro ${macro.macro} is not defined earlier`,
        item.location,
        macro.macro,
      ),
    );
  } else {
    const append = plan.modes.get('condition') === 'append';
    existing.condition = append ? `${existing.condition} ${macro.condition}` : macro.condition;
    existing.conditionLocation = conditionLocation;
  }
}
