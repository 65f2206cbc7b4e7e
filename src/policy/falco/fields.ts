/**
 * The field registry: every Falco field bulkhead can evaluate, with its type, whether it takes
 * an argument, and how to read it from a {@link RuntimeEvent}. A rule that uses a field not
 * listed here is reported as not evaluable rather than silently never matching.
 *
 * Field meanings follow Falco's "Supported Fields for Conditions and Outputs" page
 * (https://falco.org/docs/reference/rules/supported-fields/).
 */
import type { RuntimeEvent } from './event.js';
import { FIELD_TABLE } from './field-table.js';

/** `ipnet` fields hold addresses and compare against CIDR blocks; `strings` are multi-valued. */
export type FieldType = 'string' | 'number' | 'boolean' | 'ipnet' | 'strings';

export type FieldValue = string | number | boolean | readonly string[] | undefined;

export interface FieldDef {
  name: string;
  type: FieldType;
  /** `required`: `evt.arg[flags]`; `optional`: `proc.aname` and `proc.aname[2]`. */
  arg: 'none' | 'required' | 'optional';
  get(event: RuntimeEvent, arg: string | undefined): FieldValue;
}

export type FieldResolution =
  { ok: true; def: FieldDef; arg: string | undefined } | { ok: false; reason: string };

const BY_NAME: ReadonlyMap<string, FieldDef> = new Map(FIELD_TABLE.map((f) => [f.name, f]));

/** Fields written with a dotted suffix instead of brackets: `evt.arg.flags` = `evt.arg[flags]`. */
const DOTTED_ARG_PREFIXES = ['evt.arg.'];

/**
 * Look a field up by name and argument, checking the argument against the definition.
 *
 * @example
 * resolveField('proc.aname', '2'); // { ok: true, def: <proc.aname>, arg: '2' }
 * resolveField('evt.arg.flags', undefined); // { ok: true, def: <evt.arg>, arg: 'flags' }
 * resolveField('fd.sip.name', undefined); // { ok: false, reason: 'unknown field fd.sip.name' }
 */
export function resolveField(name: string, arg: string | undefined): FieldResolution {
  const def = BY_NAME.get(name);
  if (def === undefined) {
    const prefix = DOTTED_ARG_PREFIXES.find((p) => name.startsWith(p));
    const dotted = prefix ? BY_NAME.get(prefix.slice(0, -1)) : undefined;
    if (prefix && dotted && arg === undefined) {
      return { ok: true, def: dotted, arg: name.slice(prefix.length) };
    }
    return { ok: false, reason: `unknown field ${name}` };
  }
  if (def.arg === 'required' && arg === undefined) {
    return { ok: false, reason: `field ${name} needs an argument` };
  }
  if (def.arg === 'none' && arg !== undefined) {
    return { ok: false, reason: `field ${name} takes no argument` };
  }
  return { ok: true, def, arg };
}

/**
 * Every field name in the registry, sorted; for documentation and the CLI.
 *
 * @example
 * listFieldNames().includes('fd.name'); // true
 */
export function listFieldNames(): string[] {
  return [...BY_NAME.keys()].sort();
}
