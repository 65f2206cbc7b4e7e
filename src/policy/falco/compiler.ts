/**
 * Compiles loaded definitions into evaluable rules. Each rule ends up in one of four states:
 * loaded (compiled and indexed by event type), disabled, not evaluable (uses a field, source
 * or event type bulkhead lacks; the reason says which), or invalid (a defect in the rule,
 * reported as an error).
 */
import { parseCondition } from './condition/parser.js';
import { compileCondition, NotEvaluableError, type Predicate } from './compile-condition.js';
import type { Definitions, RuleDef } from './definitions.js';
import { isSensorEventType } from './event-types.js';
import { eventTypesOf } from './evttypes.js';
import { exceptionsCondition } from './exceptions.js';
import { resolveLists } from './lists.js';
import { makeIssue, type LoadIssue } from './load-result.js';
import { createMacroResolver, RuleDefectError, type MacroResolver } from './macro-resolver.js';
import { compileOutput, type CompiledOutput } from './output.js';

export type RuleState = 'loaded' | 'disabled' | 'not-evaluable' | 'invalid';

export interface RuleStatus {
  rule: RuleDef;
  state: RuleState;
  /** Why the rule is not evaluable or invalid. */
  reason?: string;
  /** Event types the rule runs on, or `all` for the catch-all bucket. */
  eventTypes?: readonly string[] | 'all';
  /** Event types named by the rule that the sensor never produces. */
  ignoredEventTypes?: readonly string[];
  /** Output fields the registry lacks; they print `<NA>`. */
  unknownOutputFields?: readonly string[];
}

export interface CompiledRule {
  rule: RuleDef;
  predicate: Predicate;
  output: CompiledOutput;
  eventTypes: readonly string[] | 'all';
}

export interface CompileResult {
  rules: CompiledRule[];
  statuses: RuleStatus[];
  errors: LoadIssue[];
  warnings: LoadIssue[];
}

/**
 * Compile every rule of `defs`.
 *
 * @example
 * const { rules, statuses } = compileRules(loadDefinitions(sources).definitions);
 */
export function compileRules(defs: Definitions): CompileResult {
  const { lists, errors } = resolveLists(defs.lists);
  const resolver = createMacroResolver(defs.macros, lists);
  const result: CompileResult = { rules: [], statuses: [], errors, warnings: [] };
  // Every macro is parsed, used or not, so a typo in an unused macro is still reported once.
  for (const macro of defs.macros.values()) {
    try {
      resolver.ast(macro.name);
    } catch (err) {
      if (!(err instanceof RuleDefectError)) {
        throw err;
      }
      errors.push(makeIssue(err.code, err.message, macro.conditionLocation, macro.name));
    }
  }
  for (const rule of defs.rules.values()) {
    result.statuses.push(compileOne(rule, resolver, lists, result));
  }
  return result;
}

function compileOne(
  rule: RuleDef,
  resolver: MacroResolver,
  lists: ReadonlyMap<string, unknown>,
  result: CompileResult,
): RuleStatus {
  const text = `(${rule.condition})${exceptionsCondition(rule.exceptions, (n) => lists.has(n))}`;
  const parsed = parseCondition(text);
  if (!parsed.ok) {
    const description = `rule ${rule.name}, column ${parsed.col - 1}: ${parsed.message}`;
    result.errors.push(
      makeIssue('condition-syntax', description, rule.conditionLocation, rule.name),
    );
    return { rule, state: 'invalid', reason: parsed.message };
  }
  // A disabled rule is still checked for defects, but reported as disabled first.
  const gap = rule.enabled ? 'not-evaluable' : 'disabled';
  if (rule.source !== 'syscall') {
    return { rule, state: gap, reason: `source ${rule.source} is not supported` };
  }

  let predicate: Predicate;
  let types;
  try {
    predicate = compileCondition(parsed.ast, resolver);
    types = eventTypesOf(parsed.ast, resolver);
  } catch (err) {
    if (err instanceof NotEvaluableError) {
      return { rule, state: gap, reason: err.message };
    }
    if (err instanceof RuleDefectError) {
      // A broken macro was already reported once, at the macro, by the pass over all macros.
      if (err.macro === undefined) {
        const description = `rule ${rule.name}: ${err.message}`;
        result.errors.push(makeIssue(err.code, description, rule.conditionLocation, rule.name));
      }
      return { rule, state: 'invalid', reason: err.message };
    }
    throw err;
  }
  if (!rule.enabled) {
    return { rule, state: 'disabled' };
  }

  const status: RuleStatus = { rule, state: 'loaded' };
  let eventTypes: readonly string[] | 'all' = 'all';
  if (types === 'all') {
    const description = `rule ${rule.name} has no evt.type restriction and runs on every event`;
    result.warnings.push(
      makeIssue('no-event-type', description, rule.conditionLocation, rule.name),
    );
  } else {
    const all = [...types].sort();
    eventTypes = all.filter(isSensorEventType);
    const ignored = all.filter((t) => !isSensorEventType(t));
    if (eventTypes.length === 0) {
      const reason = `event types ${all.join(', ') || '(none)'} are not produced by the sensor`;
      return { rule, state: 'not-evaluable', reason };
    }
    if (ignored.length > 0) {
      status.ignoredEventTypes = ignored;
    }
  }
  status.eventTypes = eventTypes;
  const output = compileOutput(rule.output);
  if (output.unknownFields.length > 0) {
    status.unknownOutputFields = output.unknownFields;
  }
  result.rules.push({ rule, predicate, output, eventTypes });
  return status;
}
