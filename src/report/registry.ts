import { AppError } from '../core/errors/index.js';
import { jsonWriter } from './json-writer.js';
import { tableWriter } from './table-writer.js';
import type { ReportWriter } from './types.js';

/** Every report writer, listed explicitly. */
export const WRITERS: readonly ReportWriter[] = [tableWriter, jsonWriter];

/**
 * The writer for a `--format` value.
 *
 * @example
 * getWriter('json').render(report, { color: false });
 */
export function getWriter(id: string): ReportWriter {
  const writer = WRITERS.find((w) => w.id === id);
  if (!writer) {
    throw new AppError('usage', `unknown format "${id}"`, {
      hint: `use one of ${WRITERS.map((w) => w.id).join(', ')}`,
    });
  }
  return writer;
}
