/**
 * Macro and list lookup for the compiler, with caches so every macro is parsed and compiled
 * once however many rules use it, and with cycle detection.
 */
import type { ConditionNode } from './condition/ast.js';
import { parseCondition } from './condition/parser.js';
import type { MacroDef } from './definitions.js';
import type { RuntimeEvent } from './event.js';
import type { IssueCode, SourceLocation } from './load-result.js';

/** A defect in the rules themselves (syntax, undefined macro, cycle): an error, not a gap. */
export class RuleDefectError extends Error {
  constructor(
    readonly code: IssueCode,
    message: string,
    readonly location?: SourceLocation,
    /** The macro whose own text is broken, when the defect is inside a macro. */
    readonly macro?: string,
  ) {
    super(message);
  }
}

type Compiled = ((e: RuntimeEvent) => boolean) | { error: unknown };

export interface MacroResolver {
  lists: ReadonlyMap<string, readonly string[]>;
  /** The parsed condition of a macro. */
  ast(name: string): ConditionNode;
  /** The compiled predicate of a macro, built with `compile` on first use. */
  predicate(
    name: string,
    compile: (ast: ConditionNode) => (e: RuntimeEvent) => boolean,
  ): (e: RuntimeEvent) => boolean;
}

/**
 * Build a resolver over macro definitions and fully expanded lists.
 *
 * @example
 * const resolver = createMacroResolver(defs.macros, resolvedLists);
 */
export function createMacroResolver(
  macros: ReadonlyMap<string, MacroDef>,
  lists: ReadonlyMap<string, readonly string[]>,
): MacroResolver {
  const asts = new Map<string, ConditionNode>();
  const compiled = new Map<string, Compiled>();
  const active = new Set<string>();

  function ast(name: string): ConditionNode {
    const cached = asts.get(name);
    if (cached) {
      return cached;
    }
    const def = macros.get(name);
    if (!def) {
      throw new RuleDefectError('undefined-macro', `undefined macro or field '${name}'`);
    }
    const result = parseCondition(def.condition);
    if (!result.ok) {
      const where = `macro ${name}, column ${result.col}`;
      throw new RuleDefectError(
        'condition-syntax',
        `${where}: ${result.message}`,
        def.conditionLocation,
        name,
      );
    }
    asts.set(name, result.ast);
    return result.ast;
  }

  function predicate(
    name: string,
    compile: (node: ConditionNode) => (e: RuntimeEvent) => boolean,
  ): (e: RuntimeEvent) => boolean {
    const cached = compiled.get(name);
    if (cached) {
      if (typeof cached === 'function') {
        return cached;
      }
      throw cached.error;
    }
    if (active.has(name)) {
      throw new RuleDefectError(
        'macro-cycle',
        `macro ${name} refers to itself through ${[...active].join(' -> ')}`,
      );
    }
    active.add(name);
    try {
      const fn = compile(ast(name));
      compiled.set(name, fn);
      return fn;
    } catch (error) {
      compiled.set(name, { error });
      throw error;
    } finally {
      active.delete(name);
    }
  }

  return { lists, ast, predicate };
}
