/**
 * The entry point: load Falco rules files in order, compile them, and index the result.
 */
import { readFile } from 'node:fs/promises';
import { silentLogger, type Logger } from '../../core/logger.js';
import { compileRules, type RuleStatus } from './compiler.js';
import { makeIssue, type LoadResultBase } from './load-result.js';
import { loadDefinitions, type RuleSource } from './loader.js';
import { buildRuleset, type Ruleset } from './ruleset.js';

export interface FalcoLoadResult extends LoadResultBase {
  ruleset: Ruleset;
  /** One entry per rule defined, in definition order. */
  statuses: RuleStatus[];
}

/**
 * Load and compile rules from in-memory sources (later sources change earlier ones).
 *
 * @example
 * const r = loadFalcoRules([{ file: 'my.yaml', text }]);
 * if (r.ok) r.ruleset.evaluate(event);
 */
export function loadFalcoRules(
  sources: readonly RuleSource[],
  log: Logger = silentLogger,
): FalcoLoadResult {
  const loaded = loadDefinitions(sources);
  const compiled = compileRules(loaded.definitions);
  const errors = [...loaded.errors, ...compiled.errors];
  const warnings = [...loaded.warnings, ...compiled.warnings];
  for (const status of compiled.statuses) {
    if (status.state === 'not-evaluable') {
      log.debug(`rule ${status.rule.name} not evaluable: ${status.reason ?? ''}`);
    }
  }
  return {
    ok: errors.length === 0,
    errors,
    warnings,
    ruleset: buildRuleset(compiled.rules),
    statuses: compiled.statuses,
  };
}

/**
 * Read rules files from disk and load them in the order given. An unreadable file is an
 * error of its own; the other files still load.
 *
 * @example
 * const r = await loadFalcoRuleFiles(['/etc/falco/falco_rules.yaml', 'local.yaml']);
 */
export async function loadFalcoRuleFiles(
  paths: readonly string[],
  log: Logger = silentLogger,
): Promise<FalcoLoadResult> {
  const sources: RuleSource[] = [];
  const unreadable = [];
  for (const file of paths) {
    try {
      sources.push({ file, text: await readFile(file, 'utf8') });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      unreadable.push(makeIssue('file-unreadable', message, { file, line: 1, col: 1 }));
    }
  }
  const result = loadFalcoRules(sources, log.child('policy'));
  result.errors.unshift(...unreadable);
  result.ok = result.errors.length === 0;
  return result;
}
