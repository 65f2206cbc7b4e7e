import { AppError } from '../core/errors/index.js';
import { SEVERITIES, type Severity } from '../matchers/types.js';

/** Rank of a severity, UNKNOWN lowest, CRITICAL highest. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * Parses a user's severity word, case-insensitively.
 *
 * @example
 * parseSeverity('high'); // 'HIGH'
 */
export function parseSeverity(word: string): Severity {
  const upper = word.trim().toUpperCase();
  const found = SEVERITIES.find((s) => s === upper);
  if (!found) {
    throw new AppError('usage', `unknown severity "${word}"`, {
      hint: `use one of ${SEVERITIES.join(', ')}`,
    });
  }
  return found;
}

/**
 * Parses a comma-separated severity list such as `HIGH,CRITICAL`.
 *
 * @example
 * parseSeverityList('critical,high'); // ['HIGH', 'CRITICAL']
 */
export function parseSeverityList(list: string): Severity[] {
  const picked = new Set(
    list
      .split(',')
      .filter((w) => w.trim() !== '')
      .map(parseSeverity),
  );
  return SEVERITIES.filter((s) => picked.has(s));
}

export function emptySeverityCounts(): Record<Severity, number> {
  return { UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 };
}
