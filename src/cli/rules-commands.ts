import { Command, Option } from 'commander';
import { formatLocation, type LoadIssue } from '../policy/falco/load-result.js';
import { loadFalcoRuleFiles, type FalcoLoadResult } from '../policy/falco/engine.js';
import { renderTable } from '../report/text-table.js';
import { EXIT } from './exit-codes.js';
import type { CliContext } from './main.js';
import { writeOutput } from './output.js';

function issueLines(label: string, issues: readonly LoadIssue[]): string {
  if (issues.length === 0) {
    return '';
  }
  const lines = issues.map(
    (i) => `  ${formatLocation(i.location)} ${i.code}: ${i.title} — ${i.description}`,
  );
  return `\n${label} (${issues.length}):\n${lines.join('\n')}\n`;
}

/** Rules in definition order (the order Falco evaluates them), one row each. */
function checkReport(result: FalcoLoadResult): string {
  const rows = result.statuses.map((s) => {
    const types = s.eventTypes === 'all' ? 'all event types' : (s.eventTypes ?? []).join(',');
    const detail = s.state === 'loaded' ? types : (s.reason ?? '');
    return [s.state, s.rule.name, formatLocation(s.rule.location), detail];
  });
  const table = renderTable(
    [{ header: 'State' }, { header: 'Rule' }, { header: 'Location' }, { header: 'Detail' }],
    rows,
  );
  const count = (state: string): number => result.statuses.filter((s) => s.state === state).length;
  const summary =
    `${result.statuses.length} rules: ${count('loaded')} loaded, ` +
    `${count('not-evaluable')} not evaluable, ${count('disabled')} disabled, ` +
    `${count('invalid')} invalid; ${result.errors.length} errors, ${result.warnings.length} warnings`;
  return `${table}\n\n${summary}\n${issueLines('Errors', result.errors)}${issueLines('Warnings', result.warnings)}`;
}

function jsonReport(result: FalcoLoadResult): string {
  const rules = result.statuses.map((s) => ({
    rule: s.rule.name,
    state: s.state,
    location: formatLocation(s.rule.location),
    reason: s.reason,
    eventTypes: s.eventTypes,
    ignoredEventTypes: s.ignoredEventTypes,
    unknownOutputFields: s.unknownOutputFields,
  }));
  const body = { ok: result.ok, rules, errors: result.errors, warnings: result.warnings };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/**
 * `bulkhead rules check FILE...`: exit 0 when every file loads cleanly, 2 when any has errors.
 *
 * @example
 * registerRulesCommands(program, context, setExit);
 * // bulkhead rules check falco_rules.yaml my_rules.yaml
 */
export function registerRulesCommands(
  program: Command,
  context: () => CliContext,
  setExit: (code: number) => void,
): void {
  const rules = program.command('rules').description('Falco-compatible runtime rules');

  rules
    .command('check')
    .description('load Falco rules files in order and report which rules bulkhead can evaluate')
    .argument('<file...>', 'rules files, loaded in the order given (later ones override)')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['table', 'json'])
        .default('table'),
    )
    .action(async (files: string[], flags: { format: string }) => {
      const ctx = context();
      const result = await loadFalcoRuleFiles(files, ctx.log);
      const text = flags.format === 'json' ? jsonReport(result) : checkReport(result);
      await writeOutput(text, undefined);
      setExit(result.ok ? EXIT.clean : EXIT.usage);
    });
}
