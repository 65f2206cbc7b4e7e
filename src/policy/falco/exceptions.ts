/**
 * Rule exceptions (https://falco.org/docs/concepts/rules/exceptions/): validation, merging on
 * append, and translation into condition text. Each exception becomes `and not (...)` after
 * the rule's condition; each of its value tuples is one `or` branch, and the fields of a tuple
 * are joined with `and`.
 *
 *   fields: [proc.name, fd.name]  comps: [=, startswith]  values: [[nginx, /var/www]]
 *   -> and not ((proc.name = "nginx" and fd.name startswith "/var/www"))
 */
import { COMPARISON_OPERATORS } from './condition/parser.js';
import type { ExceptionDef } from './definitions.js';
import type { ExceptionItem } from './schemas.js';

const LIST_COMPS: ReadonlySet<string> = new Set(['in', 'intersects', 'pmatch']);

/**
 * Check a newly defined exception and fill in Falco's default comparisons (`=` per field, or
 * `in` for the single-field form). Returns a reason string when it is malformed.
 *
 * @example
 * toExceptionDef({ name: 'ok', fields: ['proc.name'], values: [['nginx']] });
 */
export function toExceptionDef(item: ExceptionItem): ExceptionDef | string {
  const values = item.values ?? [];
  if (item.fields === undefined) {
    return `exception ${item.name} has no fields`;
  }
  if (typeof item.fields === 'string') {
    const comp = typeof item.comps === 'string' ? item.comps : 'in';
    if (!COMPARISON_OPERATORS.has(comp)) {
      return `exception ${item.name}: unknown comparison ${comp}`;
    }
    return { name: item.name, fields: item.fields, comps: comp, values };
  }
  const comps = Array.isArray(item.comps) ? item.comps : item.fields.map(() => '=');
  if (comps.length !== item.fields.length) {
    return `exception ${item.name}: ${item.fields.length} fields but ${comps.length} comps`;
  }
  const badComp = comps.find((c) => !COMPARISON_OPERATORS.has(c));
  if (badComp !== undefined) {
    return `exception ${item.name}: unknown comparison ${badComp}`;
  }
  for (const tuple of values) {
    if (!Array.isArray(tuple) || tuple.length !== item.fields.length) {
      return `exception ${item.name}: each value must list ${item.fields.length} entries`;
    }
  }
  return { name: item.name, fields: item.fields, comps, values };
}

/**
 * Merge appended exceptions: same name adds values, a new name adds the exception.
 *
 * @example
 * mergeExceptions(existing, [{ name: 'ok', values: [['apache']] }]);
 */
export function mergeExceptions(
  existing: readonly ExceptionDef[],
  incoming: readonly ExceptionItem[],
): ExceptionDef[] | string {
  const merged = existing.map((e) => ({ ...e, values: [...e.values] }));
  for (const item of incoming) {
    const same = merged.find((e) => e.name === item.name);
    if (same) {
      same.values.push(...(item.values ?? []));
      continue;
    }
    const def = toExceptionDef(item);
    if (typeof def === 'string') {
      return def;
    }
    merged.push(def);
  }
  return merged;
}

/**
 * The condition text exceptions add to a rule: `''` or ` and not (...)` per exception.
 *
 * @example
 * exceptionsCondition([{ name: 'e', fields: 'proc.name', comps: 'in', values: ['a'] }],
 *   () => false); // ' and not (proc.name in ("a"))'
 */
export function exceptionsCondition(
  exceptions: readonly ExceptionDef[],
  isList: (name: string) => boolean,
): string {
  let out = '';
  for (const ex of exceptions) {
    const branches = exceptionBranches(ex, isList);
    if (branches.length > 0) {
      out += ` and not (${branches.join(' or ')})`;
    }
  }
  return out;
}

function exceptionBranches(ex: ExceptionDef, isList: (name: string) => boolean): string[] {
  if (typeof ex.fields === 'string') {
    const comp = typeof ex.comps === 'string' ? ex.comps : 'in';
    if (ex.values.length === 0) {
      return [];
    }
    if (LIST_COMPS.has(comp)) {
      return [`${ex.fields} ${comp} (${ex.values.map((v) => listItem(v, isList)).join(', ')})`];
    }
    return ex.values.map((v) => `${ex.fields} ${comp} ${quote(v)}`);
  }
  const fields = ex.fields;
  const comps = Array.isArray(ex.comps) ? ex.comps : fields.map(() => '=');
  return ex.values.map((tuple) => {
    const parts = fields.map((field, i) => {
      const comp = comps[i] ?? '=';
      const value = (tuple as unknown[])[i];
      return `${field} ${comp} ${LIST_COMPS.has(comp) ? listValue(value, isList) : quote(value)}`;
    });
    return `(${parts.join(' and ')})`;
  });
}

function listValue(value: unknown, isList: (name: string) => boolean): string {
  const items = Array.isArray(value) ? value : [value];
  return `(${items.map((v) => listItem(v, isList)).join(', ')})`;
}

/** A list name stays bare so the compiler expands it; anything else is quoted. */
function listItem(value: unknown, isList: (name: string) => boolean): string {
  const text = String(value);
  return isList(text) ? text : quote(text);
}

function quote(value: unknown): string {
  return `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
