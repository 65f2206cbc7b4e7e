/**
 * Derives the event types a condition can match, so the ruleset only runs a rule on events
 * of those types (Falco's evttype index). The analysis is conservative: when it cannot prove
 * a restriction it answers `all`.
 *
 *   evt.type in (open, openat) and fd.name = /etc  ->  {open, openat}
 *   evt.type = execve or proc.name = bash          ->  all
 */
import type { ConditionNode } from './condition/ast.js';
import { expandValues } from './compile-condition.js';
import { SENSOR_EVENT_TYPES } from './event-types.js';
import type { MacroResolver } from './macro-resolver.js';

export type EventTypeSet = ReadonlySet<string> | 'all';

/**
 * The event types `node` can match.
 *
 * @example
 * eventTypesOf(parsed('evt.type = execve and proc.name = sh'), resolver); // Set { 'execve' }
 */
export function eventTypesOf(node: ConditionNode, macros: MacroResolver): EventTypeSet {
  switch (node.kind) {
    case 'and': {
      let acc: EventTypeSet = 'all';
      for (const child of node.children) {
        acc = intersect(acc, eventTypesOf(child, macros));
      }
      return acc;
    }
    case 'or': {
      const acc = new Set<string>();
      for (const child of node.children) {
        const types = eventTypesOf(child, macros);
        if (types === 'all') {
          return 'all';
        }
        types.forEach((t) => acc.add(t));
      }
      return acc;
    }
    case 'not':
      return negated(node.child, macros);
    case 'macro':
      return eventTypesOf(macros.ast(node.name), macros);
    case 'compare':
      return direct(node, macros, false);
    default:
      return 'all';
  }
}

function negated(child: ConditionNode, macros: MacroResolver): EventTypeSet {
  if (child.kind === 'not') {
    return eventTypesOf(child.child, macros);
  }
  if (child.kind === 'compare') {
    return direct(child, macros, true);
  }
  if (child.kind === 'macro') {
    return negated(macros.ast(child.name), macros);
  }
  return 'all';
}

function direct(
  node: Extract<ConditionNode, { kind: 'compare' }>,
  macros: MacroResolver,
  invert: boolean,
): EventTypeSet {
  if (node.field.name !== 'evt.type' || !['=', '==', 'in', '!='].includes(node.op)) {
    return 'all';
  }
  const values = new Set(expandValues(node.value, macros.lists));
  const positive = node.op !== '!=';
  if (positive !== invert) {
    return values;
  }
  return new Set(SENSOR_EVENT_TYPES.filter((t) => !values.has(t)));
}

function intersect(a: EventTypeSet, b: EventTypeSet): EventTypeSet {
  if (a === 'all') {
    return b;
  }
  if (b === 'all') {
    return a;
  }
  return new Set([...a].filter((t) => b.has(t)));
}
