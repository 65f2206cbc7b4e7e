import { Command, Option } from 'commander';
import { renderTable } from '../report/text-table.js';
import { openStore } from '../vulndb/store.js';
import type { DbSource } from '../vulndb/types.js';
import { dbPath, DEFAULT_SOURCE, resolveCacheDir, updateDb } from '../vulndb/update.js';
import { EXIT } from './exit-codes.js';
import type { CliContext } from './main.js';
import { writeOutput } from './output.js';

interface UpdateFlags {
  source?: string;
  ecosystem?: string[];
  force?: boolean;
}

/** `3 h`, `2 d`: how long ago an ISO time was. */
function age(iso: string | undefined, now: number): string {
  if (!iso) {
    return '';
  }
  const time = Date.parse(iso);
  // Some feeds leave `modified` at a placeholder such as 0001-01-01.
  if (Number.isNaN(time) || time <= 0) {
    return 'unknown';
  }
  const hours = (now - time) / 3_600_000;
  if (hours < 1) {
    return `${Math.max(0, Math.round(hours * 60))} min`;
  }
  return hours < 48 ? `${Math.round(hours)} h` : `${Math.round(hours / 24)} d`;
}

function newest(iso: string | undefined, now: number): string {
  const ago = age(iso, now);
  if (!iso || ago === 'unknown') {
    return 'unknown';
  }
  return `${iso.slice(0, 10)} (${ago} ago)`;
}

function statusTable(path: string, sources: DbSource[]): string {
  const now = Date.now();
  const rows = sources.map((s) => [
    s.ecosystem,
    String(s.records),
    String(s.withdrawn),
    String(s.skipped ?? 0),
    `${s.importedAt} (${age(s.importedAt, now)} ago)`,
    newest(s.newestModified, now),
    s.location,
  ]);
  const total = sources.reduce((sum, s) => sum + s.records, 0);
  const table = renderTable(
    [
      { header: 'Ecosystem' },
      { header: 'Records' },
      { header: 'Withdrawn' },
      { header: 'Skipped' },
      { header: 'Imported' },
      { header: 'Newest record' },
      { header: 'Source' },
    ],
    rows,
  );
  return `Vulnerability DB: ${path}\n${total} records from ${sources.length} sources\n\n${table}\n`;
}

/** `bulkhead db update` and `bulkhead db status`. */
export function registerDbCommands(
  program: Command,
  context: () => CliContext,
  setExit: (code: number) => void,
): void {
  const db = program.command('db').description('the local vulnerability database (OSV data)');

  db.command('update')
    .description('import OSV `all.zip` exports per ecosystem into the local index')
    .option(
      '--source <dir|url>',
      `a directory or base URL laid out as <Ecosystem>/all.zip (default ${DEFAULT_SOURCE})`,
    )
    .option('--ecosystem <name...>', 'only these ecosystems (OSV names: Debian, Alpine, npm...)')
    .option('--force', 'import even when a source has not changed since the last import')
    .action(async (flags: UpdateFlags) => {
      const ctx = context();
      const summaries = await updateDb({
        cacheDir: resolveCacheDir(ctx.cacheDir),
        source: flags.source,
        ecosystems: flags.ecosystem,
        force: flags.force === true,
        log: ctx.log.child('vulndb'),
        progress: ctx.progress,
      });
      if (!ctx.quiet) {
        for (const s of summaries) {
          const what = s.unchanged
            ? 'unchanged since the last import'
            : `${s.records} records (${s.withdrawn} withdrawn, ${s.skipped} malformed and left out)`;
          process.stderr.write(`${s.ecosystem}: ${what} in ${s.seconds.toFixed(1)} s\n`);
        }
      }
      setExit(EXIT.clean);
    });

  db.command('status')
    .description('show the imported sources, their record counts and their age')
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['table', 'json'])
        .default('table'),
    )
    .action(async (flags: { format: string }) => {
      const ctx = context();
      const store = openStore(dbPath(resolveCacheDir(ctx.cacheDir)), { readonly: true });
      try {
        const status = store.status();
        const text =
          flags.format === 'json'
            ? `${JSON.stringify(status, null, 2)}\n`
            : statusTable(status.path, status.sources);
        await writeOutput(text, undefined);
      } finally {
        store.close();
      }
      setExit(EXIT.clean);
    });
}
