/**
 * Turns a condition tree into one closure over {@link RuntimeEvent}, expanding macros and
 * lists on the way. Field lookups and operator setup happen here, once; evaluating an event
 * only calls the prepared closures.
 */
import type { ConditionNode, ValueNode } from './condition/ast.js';
import type { RuntimeEvent } from './event.js';
import { resolveField } from './fields.js';
import { buildMatcher, OperatorError } from './operators.js';
import type { MacroResolver } from './macro-resolver.js';

export type Predicate = (event: RuntimeEvent) => boolean;

/** The rule uses something bulkhead cannot evaluate (a field, an operator on a type). */
export class NotEvaluableError extends Error {}

/**
 * Compile a condition tree into a predicate.
 *
 * @example
 * const ast = parseCondition('proc.name = bash');
 * if (ast.ok) compileCondition(ast.ast, resolver)(event); // true for bash
 */
export function compileCondition(node: ConditionNode, macros: MacroResolver): Predicate {
  switch (node.kind) {
    case 'and': {
      const parts = node.children.map((c) => compileCondition(c, macros));
      return (e) => {
        for (const p of parts) {
          if (!p(e)) {
            return false;
          }
        }
        return true;
      };
    }
    case 'or': {
      const parts = node.children.map((c) => compileCondition(c, macros));
      return (e) => {
        for (const p of parts) {
          if (p(e)) {
            return true;
          }
        }
        return false;
      };
    }
    case 'not': {
      const inner = compileCondition(node.child, macros);
      return (e) => !inner(e);
    }
    case 'macro':
      return macros.predicate(node.name, (ast) => compileCondition(ast, macros));
    case 'exists': {
      const field = resolveField(node.field.name, node.field.arg);
      if (!field.ok) {
        throw new NotEvaluableError(field.reason);
      }
      const { def, arg } = field;
      return (e) => {
        const v = def.get(e, arg);
        return v !== undefined && !(Array.isArray(v) && v.length === 0);
      };
    }
    case 'compare': {
      const field = resolveField(node.field.name, node.field.arg);
      if (!field.ok) {
        throw new NotEvaluableError(field.reason);
      }
      const { def, arg } = field;
      const values = expandValues(node.value, macros.lists);
      let match;
      try {
        match = buildMatcher(node.op, def.type, values);
      } catch (err) {
        if (err instanceof OperatorError) {
          throw new NotEvaluableError(`${node.field.name} ${node.op}: ${err.message}`);
        }
        throw err;
      }
      return (e) => match(def.get(e, arg));
    }
  }
}

/**
 * The values of a comparison, with list names in a list spliced into their items:
 * `proc.name in (shell_binaries, zsh)`.
 *
 * @example
 * expandValues(listNode, new Map([['shells', ['bash', 'sh']]])); // ['bash', 'sh', 'zsh']
 */
export function expandValues(
  value: ValueNode,
  lists: ReadonlyMap<string, readonly string[]>,
): string[] {
  if (value.kind === 'scalar') {
    return [value.text];
  }
  const out: string[] = [];
  for (const item of value.items) {
    const list = item.quoted ? undefined : lists.get(item.text);
    if (list) {
      out.push(...list);
    } else {
      out.push(item.text);
    }
  }
  return out;
}
