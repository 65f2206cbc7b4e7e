import { Command, CommanderError, Option } from 'commander';
import { isAppError } from '../core/errors/index.js';
import { removeAllTempSpacesSync } from '../image/open.js';
import { createLogger, formatRecord, type Logger, type LogLevel } from '../core/logger.js';
import { noProgress, type Progress } from '../core/progress.js';
import { toolVersion } from '../core/version.js';
import { EXIT } from './exit-codes.js';
import { terminalProgress } from './terminal-progress.js';
import { registerScanCommands } from './scan-commands.js';
import { registerDbCommands } from './db-commands.js';
import { registerRulesCommands } from './rules-commands.js';
import { registerWatchCommands } from './watch-commands.js';

/** What every command handler gets: a logger, progress and the global flags. */
export interface CliContext {
  log: Logger;
  progress: Progress;
  quiet: boolean;
  cacheDir: string | undefined;
}

interface GlobalFlags {
  quiet?: boolean;
  debug?: boolean;
  cacheDir?: string;
}

function makeContext(flags: GlobalFlags): CliContext {
  const quiet = flags.quiet === true;
  const level: LogLevel = flags.debug ? 'debug' : quiet ? 'error' : 'warn';
  const log = createLogger({
    level,
    sink: (record) => process.stderr.write(`${formatRecord(record)}\n`),
  });
  const progress = !quiet && process.stderr.isTTY ? terminalProgress(process.stderr) : noProgress;
  return { log, progress, quiet, cacheDir: flags.cacheDir };
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('bulkhead')
    .description('Container security: what is inside an image, and what of it is vulnerable')
    .version(toolVersion(), '-v, --version')
    .addOption(new Option('-q, --quiet', 'no progress and no log lines, only the report'))
    .addOption(new Option('--debug', 'verbose logs, and stack traces for internal errors'))
    .addOption(
      new Option('--cache-dir <dir>', 'where the vulnerability DB and caches live').env(
        'BULKHEAD_CACHE_DIR',
      ),
    )
    .addHelpText(
      'after',
      '\nGlobal options (--quiet, --debug, --cache-dir) go before or after the command.\n' +
        'Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or input error, ' +
        '3 scan failed.',
    )
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  const context = (): CliContext => makeContext(program.opts<GlobalFlags>());
  registerScanCommands(program, context, setExit);
  registerDbCommands(program, context, setExit);
  registerRulesCommands(program, context, setExit);
  registerWatchCommands(program, context, setExit);
  return program;
}

/**
 * Ctrl-C or a TERM mid-scan: remove the temp space (a partial image saved from the engine can
 * be gigabytes) and exit with the shell's convention for death by that signal.
 */
function stopOnSignal(signal: NodeJS.Signals): void {
  removeAllTempSpacesSync();
  process.stderr.write(`\nbulkhead: stopped by ${signal}; temporary files removed\n`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

function report(err: unknown, debug: boolean): number {
  if (err instanceof CommanderError) {
    // Commander has already printed its message (and help for usage errors).
    return err.exitCode === 0 ? EXIT.clean : EXIT.usage;
  }
  if (isAppError(err)) {
    process.stderr.write(`bulkhead: ${err.message}\n`);
    if (err.hint) {
      process.stderr.write(`  hint: ${err.hint}\n`);
    }
    if (debug && err.cause instanceof Error && err.cause.stack) {
      process.stderr.write(`${err.cause.stack}\n`);
    }
    return err.kind === 'input' ? EXIT.usage : EXIT.failed;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`bulkhead: internal error: ${message}\n`);
  if (debug && err instanceof Error && err.stack) {
    process.stderr.write(`${err.stack}\n`);
  } else {
    process.stderr.write('  hint: run again with --debug for details, and report it\n');
  }
  return EXIT.failed;
}

/**
 * Runs the CLI and returns the process exit code. The only place where errors become words
 * and exit codes.
 *
 * @example
 * process.exitCode = await main(process.argv);
 */
export async function main(argv: string[]): Promise<number> {
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  // `bulkhead image x | head`: the reader left; stop quietly, as tools killed by SIGPIPE do.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      removeAllTempSpacesSync();
      process.exit(EXIT.clean);
    }
    throw err;
  });
  let exitCode: number = EXIT.clean;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    return report(err, argv.includes('--debug'));
  }
}
