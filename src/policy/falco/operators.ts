/**
 * Comparison operators, built once per condition check into a closure over the field value.
 * Semantics follow Falco's condition syntax page
 * (https://falco.org/docs/reference/rules/condition-syntax/): a missing value never matches,
 * and a multi-valued field (`proc.aname`) matches when any of its values does.
 */
import type { CompareOp } from './condition/ast.js';
import type { FieldType, FieldValue } from './fields.js';
import { ipInCidr } from './ip.js';

export type Matcher = (value: FieldValue) => boolean;

/** A value that does not fit the field or operator (`user.uid = root`). */
export class OperatorError extends Error {}

type One = (v: string | number | boolean) => boolean;

/**
 * Build the test for `field op values`, converting the values to the field's type up front.
 *
 * @example
 * const m = buildMatcher('pmatch', 'string', ['/etc', '/usr/bin']);
 * m('/etc/shadow'); // true
 */
export function buildMatcher(op: CompareOp, type: FieldType, values: readonly string[]): Matcher {
  if (op === 'intersects') {
    const wanted = new Set(values);
    return (v) => Array.isArray(v) && v.some((x) => wanted.has(x));
  }
  const one = buildOne(op, type, values);
  const negated = op === '!=';
  return (v) => {
    if (v === undefined) {
      return false;
    }
    if (Array.isArray(v)) {
      return negated ? v.every(one) : v.some(one);
    }
    return one(v as string | number | boolean);
  };
}

function buildOne(op: CompareOp, type: FieldType, values: readonly string[]): One {
  const first = values[0] ?? '';
  if (type === 'number') {
    return numeric(op, values.map(toNumber));
  }
  if (type === 'boolean') {
    const wanted = values.map(toBoolean);
    return equality(op, wanted);
  }
  if (type === 'ipnet' && (op === '=' || op === '==' || op === 'in' || op === '!=')) {
    const test = (v: string | number | boolean): boolean =>
      values.some((cidr) => ipInCidr(String(v), cidr));
    return op === '!=' ? (v) => !test(v) : test;
  }
  switch (op) {
    case 'contains':
      return (v) => String(v).includes(first);
    case 'icontains': {
      const lower = first.toLowerCase();
      return (v) => String(v).toLowerCase().includes(lower);
    }
    case 'bcontains': {
      const bytes = fromHex(first);
      return (v) => String(v).includes(bytes);
    }
    case 'startswith':
      return (v) => String(v).startsWith(first);
    case 'bstartswith': {
      const bytes = fromHex(first);
      return (v) => String(v).startsWith(bytes);
    }
    case 'endswith':
      return (v) => String(v).endsWith(first);
    case 'glob': {
      const re = globToRegExp(first);
      return (v) => re.test(String(v));
    }
    case 'regex': {
      const re = safeRegExp(first);
      return (v) => re.test(String(v));
    }
    case 'pmatch':
      return pathPrefixMatcher(values);
    default:
      return equality(op, values);
  }
}

function equality(op: CompareOp, wanted: readonly (string | number | boolean)[]): One {
  const set = new Set(wanted);
  if (op === '=' || op === '==' || op === 'in') {
    return (v) => set.has(v);
  }
  if (op === '!=') {
    return (v) => !set.has(v);
  }
  throw new OperatorError(`operator ${op} does not apply to this field`);
}

function numeric(op: CompareOp, wanted: readonly number[]): One {
  const n = wanted[0] ?? 0;
  switch (op) {
    case '<':
      return (v) => Number(v) < n;
    case '<=':
      return (v) => Number(v) <= n;
    case '>':
      return (v) => Number(v) > n;
    case '>=':
      return (v) => Number(v) >= n;
    default:
      return equality(op, wanted);
  }
}

function toNumber(text: string): number {
  const n = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : Number(text);
  if (text.trim() === '' || Number.isNaN(n)) {
    throw new OperatorError(`'${text}' is not a number`);
  }
  return n;
}

function toBoolean(text: string): boolean {
  if (text === 'true' || text === 'false') {
    return text === 'true';
  }
  throw new OperatorError(`'${text}' is not true or false`);
}

/** `pmatch (/etc, /usr/bin)`: the path is one of the prefixes or lies below one. */
function pathPrefixMatcher(prefixes: readonly string[]): One {
  const trimmed = prefixes.map((p) => (p.length > 1 ? p.replace(/\/+$/, '') : p));
  return (v) => {
    const path = String(v);
    return trimmed.some((p) => path === p || path.startsWith(p === '/' ? p : `${p}/`));
  };
}

/**
 * Translate a shell glob (`*`, `?`, `[a-z]`, `[!x]`) into an anchored RegExp. As with
 * fnmatch(3) without FNM_PATHNAME, `*` also matches `/`.
 *
 * @example
 * globToRegExp('/etc/*.conf').test('/etc/a/b.conf'); // true
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      out += '.*';
    } else if (ch === '?') {
      out += '.';
    } else if (ch === '[' && glob.indexOf(']', i + 1) > i + 1) {
      const end = glob.indexOf(']', i + 1);
      const body = glob
        .slice(i + 1, end)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\');
      out += `[${body}]`;
      i = end;
    } else {
      out += ch.replace(/[.+^${}()|\\/\]]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}$`, 's');
}

function safeRegExp(source: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`, 's');
  } catch {
    throw new OperatorError(`'${source}' is not a valid regular expression`);
  }
}

function fromHex(hex: string): string {
  if (!/^([0-9a-f]{2})*$/i.test(hex)) {
    throw new OperatorError(`'${hex}' is not a hex byte string`);
  }
  return Buffer.from(hex, 'hex').toString('latin1');
}
