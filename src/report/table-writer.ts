import pc from 'picocolors';
import type { Severity, VulnerabilityFinding } from '../matchers/types.js';
import type { ReportTarget as ScanReportTarget } from './model.js';
import { renderTable } from './text-table.js';
import { emptySeverityCounts } from './severity.js';
import type { ReportWriter } from './types.js';

type Colors = ReturnType<typeof pc.createColors>;

function paintSeverity(colors: Colors, severity: Severity): string {
  switch (severity) {
    case 'CRITICAL':
      return colors.bold(colors.red(severity));
    case 'HIGH':
      return colors.red(severity);
    case 'MEDIUM':
      return colors.yellow(severity);
    case 'LOW':
      return colors.blue(severity);
    default:
      return colors.dim(severity);
  }
}

const STATUS_WORDS: Record<VulnerabilityFinding['status'], string> = {
  fixed: 'fixed',
  affected: 'no fix yet',
  'will-not-fix': 'will not fix',
};

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

const KIND_WORDS: Record<ScanReportTarget['kind'], string> = {
  'os-packages': 'OS packages',
  'installed-packages': 'installed packages',
  lockfile: 'lockfile',
};

function countLine(findings: VulnerabilityFinding[]): string {
  const counts = emptySeverityCounts();
  for (const f of findings) {
    counts[f.severity] += 1;
  }
  const parts = (['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const).map(
    (s) => `${s}: ${counts[s]}`,
  );
  return `${plural(findings.length, 'vulnerability', 'vulnerabilities')} (${parts.join(', ')})`;
}

function idCell(finding: VulnerabilityFinding): string {
  const other = finding.recordIds.find((id) => id !== finding.id);
  return other ? `${finding.id} (${other})` : finding.id;
}

function packageCell(finding: VulnerabilityFinding): string {
  if (finding.sourceName && finding.sourceName !== finding.packageName) {
    return `${finding.packageName} (${finding.sourceName})`;
  }
  return finding.packageName;
}

/**
 * The human report: one section per target (OS packages first, then each lockfile or
 * package tree), each a table of findings, then the warnings met while reading the input.
 *
 * @example
 * process.stdout.write(tableWriter.render(report, { color: process.stdout.isTTY }));
 */
export const tableWriter: ReportWriter = {
  id: 'table',
  description: 'a table per target, with severity colours on a terminal',
  render(report, options) {
    const colors = pc.createColors(options.color);
    const out: string[] = [];
    const artifact = report.artifact;
    const osName = report.os ? `${report.os.family} ${report.os.version}` : 'OS not detected';
    out.push(
      colors.bold(`${artifact.reference} (${artifact.source})`) +
        ` — ${osName} — ${plural(report.summary.packages, 'package', 'packages')}, ` +
        countLine(report.vulnerabilities),
    );

    for (const target of report.targets) {
      const findings = report.vulnerabilities.filter((f) => f.target === target.name);
      out.push('', colors.bold(`${target.name} — ${KIND_WORDS[target.kind]}, ${target.ecosystem}`));
      out.push(`${plural(target.packages, 'package', 'packages')}, ${countLine(findings)}`);
      if (findings.length === 0) {
        continue;
      }
      const rows = findings.map((f) => [
        packageCell(f),
        f.installedVersion,
        f.fixedVersion ?? '',
        STATUS_WORDS[f.status],
        paintSeverity(colors, f.severity),
        idCell(f),
        f.title ?? '',
      ]);
      out.push(
        renderTable(
          [
            { header: 'Package', maxWidth: 40 },
            { header: 'Installed', maxWidth: 30 },
            { header: 'Fixed', maxWidth: 30 },
            { header: 'Status' },
            { header: 'Severity' },
            { header: 'ID' },
            { header: 'Title', maxWidth: 60 },
          ],
          rows,
          options.width,
        ),
      );
    }

    if (report.warnings.length > 0) {
      const count = plural(report.warnings.length, 'warning', 'warnings');
      out.push('', colors.yellow(`${count} while reading the input:`));
      for (const w of report.warnings) {
        out.push(`  ${w.location ? `${w.location}: ` : ''}${w.message} [${w.code}]`);
      }
    }
    return `${out.join('\n')}\n`;
  },
};
