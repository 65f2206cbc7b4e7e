/**
 * The severity of a finding, from what the OSV record offers:
 *
 * - CVSS vectors in `severity[]` (`CVSS_V2`, `CVSS_V3`, `CVSS_V4`), scored with
 *   ae-cvss-calculator and rated on the CVSS qualitative scale (v3.1 spec section 5, v4.0 spec
 *   section 6: 0.1–3.9 Low, 4.0–6.9 Medium, 7.0–8.9 High, 9.0–10.0 Critical). A score of 0.0 is
 *   "None", which is not LOW: it becomes UNKNOWN. CVSS v2 has no rating in its spec; NVD's v2
 *   scale (Low < 4.0, Medium < 7.0, else High) is used. When several vectors are given, the
 *   newest CVSS version wins, as it is the one the publisher maintains.
 * - Debian's urgency (`urgency` in `ecosystem_specific` or `database_specific`, as OSV.dev's
 *   Debian converter writes it): `unimportant`/`low` → LOW, `medium` → MEDIUM, `high` → HIGH;
 *   `not yet assigned` and `end-of-life` carry no rating.
 * - GitHub's `database_specific.severity` (LOW / MODERATE / HIGH / CRITICAL; MODERATE → MEDIUM).
 *
 * OS packages prefer the distribution's rating, then CVSS; language packages prefer CVSS, then
 * the database's word. Package-level `affected[].severity` replaces the record's when present.
 */
import cvssCalculator from 'ae-cvss-calculator';

import type { CvssScore, Severity } from './types.js';
import type { OsvAffected, OsvRecord, OsvSeverity, OsvSpecific } from '../vulndb/osv-schema.js';

export interface SeverityResult {
  severity: Severity;
  /** `debian`, `ghsa`, `database`, `cvss-v2/3/4`; absent when nothing rated it. */
  source?: string;
  cvss?: CvssScore;
}

const CVSS_TYPES: Record<string, number> = { CVSS_V4: 4, CVSS_V3: 3, CVSS_V2: 2 };

const URGENCY: Record<string, Severity> = {
  unimportant: 'LOW',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
};

const DATABASE_SEVERITY: Record<string, Severity> = {
  LOW: 'LOW',
  MODERATE: 'MEDIUM',
  MEDIUM: 'MEDIUM',
  HIGH: 'HIGH',
  CRITICAL: 'CRITICAL',
};

/**
 * Rates a CVSS base score; `major` is the CVSS major version (2, 3 or 4).
 *
 * @example
 * ratingForScore(7.4, 3); // 'HIGH'
 * ratingForScore(0, 3); // 'UNKNOWN'
 */
export function ratingForScore(score: number, major: number): Severity {
  if (!(score > 0)) {
    return 'UNKNOWN';
  }
  if (score < 4) {
    return 'LOW';
  }
  if (score < 7) {
    return 'MEDIUM';
  }
  if (major === 2 || score < 9) {
    return 'HIGH';
  }
  return 'CRITICAL';
}

/**
 * Scores one CVSS vector; undefined when the vector cannot be read.
 *
 * @example
 * scoreCvss('CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H');
 * // { version: '3.1', vector: 'CVSS:3.1/...', score: 7.4 }
 */
export function scoreCvss(vector: string): CvssScore | undefined {
  try {
    const parsed = cvssCalculator.fromVector(vector) as CvssLike | null | undefined;
    if (!parsed) {
      return undefined;
    }
    const score = parsed.calculateScores().base;
    if (typeof score !== 'number' || Number.isNaN(score)) {
      return undefined;
    }
    const version = parsed.getVectorName().replace(/^CVSS:/, '');
    return { version, vector, score };
  } catch {
    return undefined;
  }
}

interface CvssLike {
  getVectorName(): string;
  calculateScores(): { base?: number };
}

/**
 * The severity of a record for one affected package.
 *
 * @example
 * severityOf(record, record.affected?.[0], 'language'); // { severity: 'HIGH', source: 'cvss-v3', ... }
 */
export function severityOf(
  record: OsvRecord,
  affected: OsvAffected | undefined,
  kind: 'os' | 'language',
): SeverityResult {
  const cvss = fromCvss(affected?.severity ?? record.severity ?? []);
  const distro = fromUrgency(affected, record);
  const database = fromDatabaseSeverity(affected, record);
  const order = kind === 'os' ? [distro, cvss, database] : [cvss, database, distro];
  for (const candidate of order) {
    if (candidate && candidate.severity !== 'UNKNOWN') {
      return candidate;
    }
  }
  return cvss ?? { severity: 'UNKNOWN' };
}

function fromCvss(entries: OsvSeverity[]): SeverityResult | undefined {
  const ranked = entries
    .filter((entry) => CVSS_TYPES[entry.type] !== undefined)
    .sort((a, b) => (CVSS_TYPES[b.type] ?? 0) - (CVSS_TYPES[a.type] ?? 0));
  for (const entry of ranked) {
    const cvss = scoreCvss(entry.score);
    if (!cvss) {
      continue;
    }
    const major = Number.parseInt(cvss.version, 10);
    return { severity: ratingForScore(cvss.score, major), source: `cvss-v${major}`, cvss };
  }
  return undefined;
}

function fromUrgency(
  affected: OsvAffected | undefined,
  record: OsvRecord,
): SeverityResult | undefined {
  const urgency =
    stringField(affected?.ecosystem_specific, 'urgency') ??
    stringField(affected?.database_specific, 'urgency') ??
    stringField(record.database_specific, 'urgency');
  const severity = urgency === undefined ? undefined : URGENCY[urgency.toLowerCase()];
  return severity ? { severity, source: 'debian' } : undefined;
}

function fromDatabaseSeverity(
  affected: OsvAffected | undefined,
  record: OsvRecord,
): SeverityResult | undefined {
  const word =
    stringField(affected?.database_specific, 'severity') ??
    stringField(record.database_specific, 'severity');
  const severity = word === undefined ? undefined : DATABASE_SEVERITY[word.toUpperCase()];
  if (!severity) {
    return undefined;
  }
  // GitHub's reviewed advisories carry this field; converted feeds (RetireJS) reuse its words.
  return { severity, source: record.id.startsWith('GHSA-') ? 'ghsa' : 'database' };
}

/**
 * Reads a string field of a free-form `*_specific` object.
 *
 * @example
 * stringField({ urgency: 'low' }, 'urgency'); // 'low'
 */
export function stringField(specific: OsvSpecific | undefined, key: string): string | undefined {
  const value = specific?.[key];
  return typeof value === 'string' ? value : undefined;
}
