/**
 * Turns a group of aliased record matches for one installed package into one finding. Where the
 * records disagree: the highest fixed version wins (upgrading to it resolves every record that
 * names a fix), the highest severity wins, a known fix beats "no fix" and "will not fix", and
 * `will-not-fix` beats `affected` only when no record names a fix.
 */
import type { Package, Target } from '../inventory/types.js';
import type { OsvRecord } from '../vulndb/osv-schema.js';
import { mergedIds } from './merge.js';
import type { RangeSchemes } from './osv-range.js';
import type { SeverityResult } from './severity.js';
import { SEVERITIES, type FixStatus, type VulnerabilityFinding } from './types.js';

/** One record that matched one installed package. */
export interface RecordMatch {
  record: OsvRecord;
  fixedVersion: string | undefined;
  status: FixStatus;
  severity: SeverityResult;
}

/**
 * @example
 * buildFinding([match], target, pkg, 'language', schemesFor('npm')).id; // 'CVE-2020-8203'
 */
export function buildFinding(
  group: RecordMatch[],
  target: Target,
  pkg: Package,
  kind: 'os' | 'language',
  schemes: RangeSchemes,
): VulnerabilityFinding {
  const records = group.map((match) => match.record).sort((a, b) => compareIds(a.id, b.id));
  const ids = mergedIds(records);
  const primary = records.find((record) => record.id === ids.id) ?? records[0];

  const finding: VulnerabilityFinding = {
    id: ids.id,
    aliases: ids.aliases,
    recordIds: ids.recordIds,
    target: target.name,
    ecosystem: pkg.ecosystem,
    packageName: pkg.name,
    installedVersion: pkg.version,
    status: 'affected',
    severity: 'UNKNOWN',
    references: references(primary, records),
    purl: pkg.purl,
    packagePath: pkg.path,
  };
  if (kind === 'os') {
    finding.sourceName = pkg.sourceName ?? pkg.name;
  }
  if (pkg.layer) {
    finding.layer = pkg.layer;
  }

  const fixedVersion = highestFix(group, schemes);
  if (fixedVersion !== undefined) {
    finding.fixedVersion = fixedVersion;
    finding.status = 'fixed';
  } else if (group.some((match) => match.status === 'will-not-fix')) {
    finding.status = 'will-not-fix';
  }

  const severity = highestSeverity(group);
  finding.severity = severity.severity;
  if (severity.source !== undefined) {
    finding.severitySource = severity.source;
  }
  if (severity.cvss) {
    finding.cvss = severity.cvss;
  }

  const title = primary?.summary ?? records.find((record) => record.summary)?.summary;
  if (title) {
    finding.title = title;
  }
  const published = records
    .map((r) => r.published)
    .filter(isString)
    .sort()[0];
  if (published) {
    finding.published = published;
  }
  const modified = records
    .map((r) => r.modified)
    .sort()
    .at(-1);
  if (modified) {
    finding.modified = modified;
  }
  return finding;
}

function highestFix(group: RecordMatch[], schemes: RangeSchemes): string | undefined {
  let best: string | undefined;
  for (const match of group) {
    const fix = match.fixedVersion;
    if (fix !== undefined && (best === undefined || compareVersions(fix, best, schemes) > 0)) {
      best = fix;
    }
  }
  return best;
}

/** Compares with the ecosystem's scheme, then semver, then as text (never throws). */
function compareVersions(a: string, b: string, schemes: RangeSchemes): number {
  for (const scheme of [schemes.ecosystem, schemes.semver]) {
    if (scheme && scheme.isValid(a) && scheme.isValid(b)) {
      return scheme.compare(a, b);
    }
  }
  return compareIds(a, b);
}

function highestSeverity(group: RecordMatch[]): SeverityResult {
  let best: SeverityResult = { severity: 'UNKNOWN' };
  for (const match of group) {
    const rank = SEVERITIES.indexOf(match.severity.severity);
    const bestRank = SEVERITIES.indexOf(best.severity);
    const better =
      rank > bestRank ||
      (rank === bestRank && (match.severity.cvss?.score ?? -1) > (best.cvss?.score ?? -1));
    if (better) {
      best = match.severity;
    }
  }
  return best;
}

/** ADVISORY links first (the primary record's before the others'), then every other link. */
function references(primary: OsvRecord | undefined, records: OsvRecord[]): string[] {
  const ordered = primary ? [primary, ...records.filter((r) => r !== primary)] : records;
  const advisory: string[] = [];
  const other: string[] = [];
  for (const record of ordered) {
    for (const reference of record.references ?? []) {
      (reference.type === 'ADVISORY' ? advisory : other).push(reference.url);
    }
  }
  return [...new Set([...advisory, ...other])];
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isString(value: string | undefined): value is string {
  return value !== undefined;
}
