import { Command, Option } from 'commander';

import { AppError } from '../core/errors/index.js';
import { engineEndpoint } from '../image/sources/engine.js';
import { formatLocation, type LoadIssue } from '../policy/falco/load-result.js';
import { alertJson, alertText } from '../runtime/watch/alert.js';
import { runWatch } from '../runtime/watch/pipeline.js';
import { defaultRulesPath, loadRulesFiles } from '../runtime/watch/rules-files.js';
import { EXIT } from './exit-codes.js';
import type { CliContext } from './main.js';

interface WatchFlags {
  rules?: string[];
  defaultRules: boolean;
  format: 'text' | 'json';
  duration?: string;
}

function issueLines(issues: readonly LoadIssue[]): string {
  return issues
    .map((i) => `  ${formatLocation(i.location)} ${i.code}: ${i.title} — ${i.description}\n`)
    .join('');
}

function parseDuration(text: string | undefined): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new AppError('usage', `--duration must be a positive number of seconds, not ${text}`);
  }
  return seconds * 1000;
}

/**
 * `bulkhead watch`: trace the host with the bpftrace sensor and print an alert line for every
 * event a loaded rule matches, until Ctrl-C, TERM or `--duration`.
 *
 * @example
 * registerWatchCommands(program, context, setExit);
 * // bulkhead watch --rules my_rules.yaml --format json --duration 60
 */
export function registerWatchCommands(
  program: Command,
  context: () => CliContext,
  setExit: (code: number) => void,
): void {
  program
    .command('watch')
    .description('detect suspicious activity in running containers with Falco-language rules')
    .addOption(
      new Option('--rules <file...>', 'extra Falco rules files, loaded after the defaults'),
    )
    .addOption(new Option('--no-default-rules', "do not load bulkhead's own rules"))
    .addOption(
      new Option('-f, --format <format>', 'alert format').choices(['text', 'json']).default('text'),
    )
    .addOption(new Option('--duration <seconds>', 'stop after this many seconds'))
    .action(async (flags: WatchFlags) => {
      const ctx = context();
      const durationMs = parseDuration(flags.duration);
      const files = [...(flags.defaultRules ? [defaultRulesPath()] : []), ...(flags.rules ?? [])];
      if (files.length === 0) {
        throw new AppError('usage', 'no rules to watch with', {
          hint: 'pass --rules FILE, or drop --no-default-rules',
        });
      }
      const { result, sources } = await loadRulesFiles(files);
      if (!result.ok) {
        process.stderr.write(`bulkhead: the rules have errors:\n${issueLines(result.errors)}`);
        setExit(EXIT.usage);
        return;
      }

      // main() installs exit-at-once handlers for scans; a watch stops gracefully instead.
      process.removeAllListeners('SIGINT');
      process.removeAllListeners('SIGTERM');
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const timer = durationMs === undefined ? undefined : setTimeout(stop, durationMs);
      const render = flags.format === 'json' ? alertJson : alertText;
      const loaded = result.statuses.filter((s) => s.state === 'loaded').length;

      try {
        const stats = await runWatch({
          ruleset: result.ruleset,
          ruleTexts: sources.map((s) => s.text),
          endpoint: engineEndpoint(),
          logger: ctx.log,
          signal: controller.signal,
          onAlert: (alert) => process.stdout.write(`${render(alert)}\n`),
          onReady: ({ kinds }) => {
            if (!ctx.quiet) {
              process.stderr.write(
                `bulkhead: watching with ${loaded} rules (events: ${kinds.join(', ')})\n`,
              );
            }
          },
        });
        if (!ctx.quiet) {
          process.stderr.write(
            `bulkhead: sensor stats: ${stats.events} events, ${stats.drops} dropped, ` +
              `${stats.lost} lost in the kernel, ${stats.parseErrors} parse errors, ` +
              `${stats.restarts} restarts\n`,
          );
        }
        setExit(EXIT.clean);
      } finally {
        clearTimeout(timer);
        process.removeListener('SIGINT', stop);
        process.removeListener('SIGTERM', stop);
      }
    });
}
