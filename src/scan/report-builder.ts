import type { Inventory } from '../inventory/types.js';
import type { Severity, VulnerabilityFinding } from '../matchers/types.js';
import { toolVersion } from '../core/version.js';
import {
  REPORT_SCHEMA_VERSION,
  type ReportDataSource,
  type ReportPackage,
  type ScanReport,
} from '../report/model.js';
import { emptySeverityCounts } from '../report/severity.js';

export interface ReportFilters {
  /** Severities to keep. */
  severities: Severity[];
  /** Hide findings that have no fixed version. */
  ignoreUnfixed: boolean;
}

function keep(finding: VulnerabilityFinding, filters: ReportFilters): boolean {
  if (!filters.severities.includes(finding.severity)) {
    return false;
  }
  return !(filters.ignoreUnfixed && finding.status !== 'fixed');
}

/**
 * Joins inventory and findings into the report every writer renders: applies the user's
 * filters, flattens packages with their target, counts, and stamps the data sources used.
 * Targets keep the inventory's order; packages and findings keep the matcher's sort.
 *
 * @example
 * const report = buildReport(inventory, findings, sources, { severities, ignoreUnfixed: false });
 */
export function buildReport(
  inventory: Inventory,
  findings: VulnerabilityFinding[],
  dataSources: ReportDataSource[],
  filters: ReportFilters,
): ScanReport {
  const vulnerabilities = findings.filter((f) => keep(f, filters));

  const packages: ReportPackage[] = [];
  for (const target of inventory.targets) {
    for (const pkg of target.packages) {
      packages.push({ ...pkg, target: target.name });
    }
  }

  const bySeverity = emptySeverityCounts();
  for (const v of vulnerabilities) {
    bySeverity[v.severity] += 1;
  }

  const report: ScanReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'bulkhead', version: toolVersion() },
    createdAt: new Date().toISOString(),
    artifact: inventory.artifact,
    targets: inventory.targets.map((t) => ({
      name: t.name,
      kind: t.kind,
      ecosystem: t.ecosystem,
      path: t.path,
      packages: t.packages.length,
      vulnerabilities: vulnerabilities.filter((v) => v.target === t.name).length,
    })),
    packages,
    vulnerabilities,
    warnings: inventory.warnings,
    dataSources,
    filters: { severities: filters.severities, ignoreUnfixed: filters.ignoreUnfixed },
    summary: { packages: packages.length, vulnerabilities: vulnerabilities.length, bySeverity },
  };
  if (inventory.os) {
    report.os = inventory.os;
  }
  return report;
}
