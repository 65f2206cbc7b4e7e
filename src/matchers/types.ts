import type { LayerInfo, PackageEcosystem } from '../inventory/types.js';

/** Severity levels, in the words Trivy, GitHub and CVSS v3 ratings share. */
export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';

export const SEVERITIES: readonly Severity[] = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

/**
 * What the advisory data says about a fix for the installed version:
 * - `fixed`: a fixed version exists (upgrade to `fixedVersion`);
 * - `affected`: no fix has been released yet;
 * - `will-not-fix`: the distribution decided not to fix it in this release.
 */
export type FixStatus = 'fixed' | 'affected' | 'will-not-fix';

export interface CvssScore {
  version: string;
  vector: string;
  score: number;
}

/** One vulnerability in one installed package. Advisories that alias each other are merged. */
export interface VulnerabilityFinding {
  /** The preferred id: a CVE id when the merged records name exactly one, else the record id. */
  id: string;
  /** Every other id of the merged records (record ids, aliases, upstream CVE ids), sorted. */
  aliases: string[];
  /** The OSV record ids that matched, sorted. */
  recordIds: string[];
  /** Display name of the target the package belongs to. */
  target: string;
  ecosystem: PackageEcosystem;
  packageName: string;
  /** For OS packages, the source package the advisory names. */
  sourceName?: string;
  installedVersion: string;
  fixedVersion?: string;
  status: FixStatus;
  severity: Severity;
  /** Where the severity came from: `cvss-v3`, `cvss-v4`, `debian`, `ghsa`... */
  severitySource?: string;
  cvss?: CvssScore;
  title?: string;
  /** The most useful link (advisory page), then the others. */
  references: string[];
  published?: string;
  modified?: string;
  purl: string;
  packagePath: string;
  layer?: LayerInfo;
}
