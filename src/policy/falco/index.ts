/**
 * Falco-compatible rules engine: load rules files, compile conditions into closures once, and
 * evaluate {@link RuntimeEvent}s against the event-type index.
 */
export { loadFalcoRuleFiles, loadFalcoRules } from './engine.js';
export type { FalcoLoadResult } from './engine.js';
export type { RuleSource } from './loader.js';
export type { RuleState, RuleStatus, CompiledRule } from './compiler.js';
export type { Ruleset, RuleMatch } from './ruleset.js';
export type { RuntimeEvent, EventDirection, ProcessAncestor } from './event.js';
export type { LoadIssue, IssueCode, SourceLocation } from './load-result.js';
export { formatLocation, ISSUE_TITLES } from './load-result.js';
export { SENSOR_EVENT_TYPES, isSensorEventType } from './event-types.js';
export { listFieldNames, resolveField } from './fields.js';
export { parseCondition } from './condition/parser.js';
export { compileOutput } from './output.js';
