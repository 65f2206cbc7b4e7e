import type {
  ImageMetadata,
  OperatingSystem,
  Package,
  ScanWarning,
  TargetKind,
} from '../inventory/types.js';
import type { Severity, VulnerabilityFinding } from '../matchers/types.js';

/** Version of the JSON report's shape; bumped on any incompatible change. See docs/report-json.md. */
export const REPORT_SCHEMA_VERSION = 1;

export interface ReportTarget {
  name: string;
  kind: TargetKind;
  ecosystem: string;
  path: string;
  packages: number;
  vulnerabilities: number;
}

export interface ReportPackage extends Package {
  /** Name of the target the package belongs to. */
  target: string;
}

export interface ReportDataSource {
  ecosystem: string;
  importedAt: string;
  newestModified?: string;
}

/** Everything a scan found, before any writer renders it. Sorted; see `sortReport`. */
export interface ScanReport {
  schemaVersion: number;
  tool: { name: 'bulkhead'; version: string };
  createdAt: string;
  artifact: ImageMetadata;
  os?: OperatingSystem;
  targets: ReportTarget[];
  packages: ReportPackage[];
  vulnerabilities: VulnerabilityFinding[];
  warnings: ScanWarning[];
  /** What the vulnerability data was, so a report can be judged for freshness later. */
  dataSources: ReportDataSource[];
  /** Filters that shaped `vulnerabilities`. */
  filters: { severities: Severity[]; ignoreUnfixed: boolean };
  summary: { packages: number; vulnerabilities: number; bySeverity: Record<Severity, number> };
}
