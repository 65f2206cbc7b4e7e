import type { ReportWriter } from './types.js';

/**
 * The JSON report, shape documented in docs/report-json.md and schema/report-v1.schema.json.
 * Keys appear in a fixed order and arrays are sorted by the scan, so two scans of the same
 * image give byte-identical output apart from `createdAt`.
 *
 * @example
 * process.stdout.write(jsonWriter.render(report, { color: false }));
 */
export const jsonWriter: ReportWriter = {
  id: 'json',
  description: 'JSON with a versioned schema (schemaVersion 1)',
  render(report) {
    return `${JSON.stringify(report, null, 2)}\n`;
  },
};
