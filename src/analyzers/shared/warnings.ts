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
} as const;

export type AnalyzerWarningCode = keyof typeof ANALYZER_WARNING_CODES;

/** Reports warnings about one file, each located at `file:line`. */
export type FileWarner = (code: AnalyzerWarningCode, message: string, line?: number) => void;

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
    ctx.warn({ code, message, location: line === undefined ? path : `${path}:${line}` });
  };
}
