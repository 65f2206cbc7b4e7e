import type { AnalyzerContext } from '../types.js';

/**
 * Warning codes analyzers put into the scan report. Stable kebab-case: the JSON report carries
 * them, so a code is never renamed, only added.
 */
export const ANALYZER_WARNING_CODES = {
  'analyzer-file-unreadable': 'a whole file could not be read in its format (binary, bad JSON)',
  'analyzer-format-unsupported': 'the file is readable but in a format version we do not know',
  'analyzer-entry-malformed': 'one entry of a file was malformed and skipped',
  'analyzer-warnings-truncated': 'a file had so many malformed entries that the rest were dropped',
  'analyzer-entries-truncated':
    'a file had more entries than an analyzer reads; the rest were not read',
} as const;

export type AnalyzerWarningCode = keyof typeof ANALYZER_WARNING_CODES;

/**
 * Where in the file a warning is: a line number, or a function computing it. Pass a function
 * when finding the line costs a search (JSON keys): it runs only for warnings that are kept.
 */
export type WarningLine = number | undefined | (() => number | undefined);

/** Reports warnings about one file, each located at `file:line`. */
export type FileWarner = (code: AnalyzerWarningCode, message: string, line?: WarningLine) => void;

/** A garbage file could otherwise flood the report with one warning per line. */
const MAX_WARNINGS_PER_FILE = 20;

/**
 * Creates a warner for one file that locates each warning at `path:line` and stops after
 * {@link MAX_WARNINGS_PER_FILE}, leaving one `analyzer-warnings-truncated` in their place.
 *
 * @example
 * const warn = fileWarner(ctx, '/var/lib/dpkg/status');
 * warn('analyzer-entry-malformed', 'paragraph has no Version field; skipped', 120);
 * // ctx.warn({ code: 'analyzer-entry-malformed', ..., location: '/var/lib/dpkg/status:120' })
 */
export function fileWarner(ctx: AnalyzerContext, path: string): FileWarner {
  let count = 0;

  return (code, message, line) => {
    count += 1;
    if (count > MAX_WARNINGS_PER_FILE + 1) {
      return;
    }
    if (count === MAX_WARNINGS_PER_FILE + 1) {
      ctx.warn({
        code: 'analyzer-warnings-truncated',
        message: `more than ${MAX_WARNINGS_PER_FILE} problems; the rest are not reported`,
        location: path,
      });
      return;
    }
    const at = typeof line === 'function' ? line() : line;
    ctx.warn({ code, message, location: at === undefined ? path : `${path}:${at}` });
  };
}

/** How many entries of a database were read and how many were left. */
export interface EntriesNotRead {
  /** What an entry is, plural: `packages`, `lockfile entries`. */
  what: string;
  /** The cap that was reached. */
  limit: number;
  notRead: number;
}

/**
 * Reports, once per file, that an analyzer stopped at its cap on entries. Goes to the context
 * directly, not through the file's {@link fileWarner}: a file that already used up its warnings
 * on junk must still say that packages were left out, or the inventory would silently shrink.
 *
 * @example
 * warnEntriesNotRead(ctx, '/var/lib/dpkg/status', { what: 'packages', limit: 100000, notRead: 7 });
 * // 'more than 100000 packages; the last 7 were not read'
 */
export function warnEntriesNotRead(ctx: AnalyzerContext, path: string, cap: EntriesNotRead): void {
  ctx.warn({
    code: 'analyzer-entries-truncated',
    message: `more than ${cap.limit} ${cap.what}; the last ${cap.notRead} were not read`,
    location: path,
  });
}
