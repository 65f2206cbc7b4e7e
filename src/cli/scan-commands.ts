import { Command, Option } from 'commander';
import { SEVERITIES } from '../matchers/types.js';
import { getWriter, WRITERS } from '../report/registry.js';
import { parseSeverity, parseSeverityList, severityRank } from '../report/severity.js';
import { scan, type ScanTarget } from '../scan/scan.js';
import type { CliContext } from './main.js';
import { EXIT } from './exit-codes.js';
import { writeOutput } from './output.js';

interface ScanFlags {
  format: string;
  output?: string;
  severity?: string;
  failOn?: string;
  ignoreUnfixed?: boolean;
  platform?: string;
}

function addReportOptions(command: Command): Command {
  return command
    .addOption(
      new Option('-f, --format <format>', 'report format')
        .choices(WRITERS.map((w) => w.id))
        .default('table'),
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option(
      '-s, --severity <list>',
      `only report these severities, comma-separated (${SEVERITIES.join(',')})`,
    )
    .option('--fail-on <severity>', 'exit 1 when a reported finding is at or above this severity')
    .option('--ignore-unfixed', 'hide vulnerabilities with no fixed version');
}

async function runScan(target: ScanTarget, flags: ScanFlags, ctx: CliContext): Promise<number> {
  const writer = getWriter(flags.format);
  const severities = flags.severity ? parseSeverityList(flags.severity) : [...SEVERITIES];
  const failOn = flags.failOn === undefined ? undefined : parseSeverity(flags.failOn);

  const report = await scan(target, {
    cacheDir: ctx.cacheDir,
    severities,
    ignoreUnfixed: flags.ignoreUnfixed === true,
    log: ctx.log,
    progress: ctx.progress,
  });

  const toTerminal = flags.output === undefined && process.stdout.isTTY === true;
  // https://no-color.org: any non-empty NO_COLOR turns colour off.
  const color = toTerminal && !process.env.NO_COLOR;
  const width = toTerminal ? process.stdout.columns : undefined;
  await writeOutput(writer.render(report, { color, width }), flags.output);

  if (failOn === undefined) {
    return EXIT.clean;
  }
  const threshold = severityRank(failOn);
  const failing = report.vulnerabilities.filter((v) => severityRank(v.severity) >= threshold);
  if (failing.length === 0) {
    return EXIT.clean;
  }
  if (!ctx.quiet) {
    const noun = failing.length === 1 ? 'vulnerability' : 'vulnerabilities';
    process.stderr.write(`bulkhead: ${failing.length} ${noun} at or above ${failOn} (--fail-on)\n`);
  }
  return EXIT.findings;
}

/** `bulkhead image REF` and `bulkhead fs DIR`. */
export function registerScanCommands(
  program: Command,
  context: () => CliContext,
  setExit: (code: number) => void,
): void {
  addReportOptions(
    program
      .command('image')
      .description(
        'scan a container image: a docker-archive or OCI archive tar, an OCI layout directory, ' +
          'or an image name in the local Docker engine',
      )
      .argument(
        '<ref>',
        'path, name, or transport:ref (docker-archive:, oci:, oci-archive:, docker-daemon:)',
      )
      .option('--platform <os/arch[/variant]>', 'pick this platform from a multi-platform index'),
  ).action(async (ref: string, flags: ScanFlags) => {
    const target: ScanTarget = { kind: 'image', ref, platform: flags.platform };
    setExit(await runScan(target, flags, context()));
  });

  addReportOptions(
    program
      .command('fs')
      .description('scan an unpacked root filesystem or a project directory')
      .argument('<dir>', 'directory to scan'),
  ).action(async (dir: string, flags: ScanFlags) => {
    setExit(await runScan({ kind: 'fs', dir }, flags, context()));
  });
}
