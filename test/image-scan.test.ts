import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { ScanReport } from '../src/report/model.js';
import { runCli } from './helpers/cli.js';
import {
  dpkgQueryInImage,
  expectedDebianFindings,
  type InstalledDeb,
} from './helpers/debian-oracle.js';
import { REPO_ROOT, VULNDB_MIRROR } from './helpers/paths.js';

const cacheDir = inject('cacheDir');
const app = inject('npmApp');
const bookworm = inject('bookworm');

async function scanJson(ref: string, extra: string[] = []): Promise<ScanReport> {
  const result = await runCli([
    '--cache-dir',
    cacheDir,
    'image',
    ref,
    '--format',
    'json',
    ...extra,
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as ScanReport;
}

/** The parts of a report that must not depend on where the image was read from. */
function comparable(report: ScanReport): unknown {
  return {
    os: report.os,
    targets: report.targets,
    packages: report.packages.map(({ layer, ...rest }) => ({ ...rest, layer: layer?.diffId })),
    vulnerabilities: report.vulnerabilities.map(({ layer, ...rest }) => ({
      ...rest,
      layer: layer?.diffId,
    })),
    warnings: report.warnings,
  };
}

function findingsFor(report: ScanReport, name: string, version?: string) {
  return report.vulnerabilities.filter(
    (v) => v.packageName === name && (version === undefined || v.installedVersion === version),
  );
}

describe.each([
  ['the debootstrapped bookworm image', bookworm.dockerArchive, bookworm.name],
  ['the npm application image', app.dockerArchive, app.name],
])('Debian packages and advisories of %s', (_title, archivePath, imageName) => {
  let report: ScanReport;
  let installed: InstalledDeb[];

  beforeAll(async () => {
    report = await scanJson(archivePath);
    installed = dpkgQueryInImage(imageName);
  });

  it('reports every package dpkg-query lists inside the image, with its version and source', () => {
    const reported = report.packages
      .filter((p) => p.ecosystem === 'debian')
      .map((p) => [p.name, p.version, p.sourceName, p.sourceVersion].join('\t'))
      .sort();

    const expected = installed
      .map((p) => [p.name, p.version, p.sourceName, p.sourceVersion].join('\t'))
      .sort();

    expect(installed.length).toBeGreaterThan(80);
    expect(reported).toEqual(expected);
  });

  it('finds exactly the Debian advisories the mirror holds for the installed source versions', () => {
    const expected = expectedDebianFindings(
      path.join(VULNDB_MIRROR, 'Debian', 'all.zip'),
      '12',
      installed,
    );
    const reported = new Map<string, Set<string>>();
    for (const v of report.vulnerabilities.filter((f) => f.ecosystem === 'debian')) {
      const ids = reported.get(v.packageName) ?? new Set<string>();
      v.recordIds.forEach((id) => ids.add(id));
      reported.set(v.packageName, ids);
    }

    expect(expected.size).toBeGreaterThan(0);
    expect(reported).toEqual(expected);
  });
});

describe('bulkhead image on the real npm application image', () => {
  let archive: ScanReport;

  beforeAll(async () => {
    archive = await scanJson(app.dockerArchive);
  });

  it('validates against the published JSON schema v1', () => {
    const schema = JSON.parse(
      readFileSync(path.join(REPO_ROOT, 'schema/report-v1.schema.json'), 'utf8'),
    );
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);

    const valid = validate(archive);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('detects Debian 12 from the image', () => {
    expect(archive.os).toMatchObject({ family: 'debian', release: '12' });
    expect(archive.os?.version).toMatch(/^12\.\d+$/);
  });

  it('attributes each Debian package to the layer that installed it', () => {
    const less = archive.packages.find((p) => p.name === 'less');
    const bash = archive.packages.find((p) => p.name === 'bash');

    expect(bash?.layer?.index).toBe(0);
    expect(less?.layer?.index).toBeGreaterThan(0);
    expect(less?.layer?.createdBy).toContain('dpkg -i');
    expect(less?.purl).toMatch(/^pkg:deb\/debian\/less@.+\?arch=amd64&distro=debian-12\.\d+$/);
  });

  it('reports the installed npm packages, nested ones and dev-only ones included', () => {
    const npm = archive.packages.filter((p) => p.ecosystem === 'npm');
    const byName = (name: string) =>
      npm
        .filter((p) => p.name === name)
        .map((p) => p.version)
        .sort();

    expect(archive.targets.map((t) => t.name)).toContain('/app/node_modules');
    expect(byName('lodash')).toEqual(['4.17.15']);
    expect(byName('minimist')).toEqual(['0.0.8', '1.2.5']);
    expect(npm.find((p) => p.name === 'handlebars')?.dev).toBe(true);
    expect(npm.find((p) => p.name === 'lodash')?.dev).toBeFalsy();
    expect(npm.find((p) => p.name === 'lodash')?.path).toBe(
      '/app/node_modules/lodash/package.json',
    );
    expect(npm.find((p) => p.name === 'lodash')?.purl).toBe('pkg:npm/lodash@4.17.15');
  });

  it.each([
    ['lodash', '4.17.15', 'CVE-2020-8203', '4.17.20'],
    ['minimist', '1.2.5', 'CVE-2021-44906', '1.2.6'],
    ['json5', '2.2.1', 'CVE-2022-46175', '2.2.2'],
  ])('finds the known advisory of %s %s (%s, fixed in %s)', (name, version, cve, fixed) => {
    const finding = findingsFor(archive, name, version).find((v) => v.id === cve);

    expect(finding).toBeDefined();
    expect(finding?.status).toBe('fixed');
    expect(finding?.fixedVersion).toBe(fixed);
    expect(finding?.aliases.some((a) => a.startsWith('GHSA-'))).toBe(true);
  });

  it('merges records that alias each other into one finding per vulnerability and package', () => {
    const seen = new Map<string, Set<string>>();
    for (const v of archive.vulnerabilities) {
      const key = `${v.packagePath}:${v.packageName}@${v.installedVersion}`;
      const ids = seen.get(key) ?? new Set<string>();
      for (const id of [v.id, ...v.aliases]) {
        expect(ids.has(id), `${id} twice for ${key}`).toBe(false);
        ids.add(id);
      }
      seen.set(key, ids);
    }
    expect(seen.size).toBeGreaterThan(5);
  });

  it('does not flag versions outside the advisories ranges', () => {
    expect(findingsFor(archive, 'ms')).toEqual([]);
    expect(findingsFor(archive, 'json5').every((v) => v.id !== 'CVE-2020-8203')).toBe(true);
  });

  it('gives identical findings read as OCI layout, OCI archive and from the engine', async () => {
    const forms = await Promise.all([
      scanJson(`oci:${app.ociLayout}:npm-app`),
      scanJson(`oci-archive:${app.ociArchive}:npm-app`),
      scanJson(app.name),
    ]);

    for (const report of forms) {
      expect(comparable(report)).toEqual(comparable(archive));
    }
    expect(forms.map((r) => r.artifact.source)).toEqual([
      'oci-layout',
      'oci-archive',
      'docker-engine',
    ]);
  });

  it('hides unfixed and lower-severity findings when asked, and fails on a threshold', async () => {
    const high = await runCli([
      '--cache-dir',
      cacheDir,
      'image',
      app.dockerArchive,
      '--format',
      'json',
      '--severity',
      'HIGH,CRITICAL',
      '--ignore-unfixed',
      '--fail-on',
      'high',
    ]);
    const report = JSON.parse(high.stdout) as ScanReport;

    expect(report.vulnerabilities.length).toBeGreaterThan(0);
    expect(report.vulnerabilities.every((v) => ['HIGH', 'CRITICAL'].includes(v.severity))).toBe(
      true,
    );
    expect(report.vulnerabilities.every((v) => v.status === 'fixed')).toBe(true);
    expect(high.code).toBe(1);
  });

  it('prints a table grouped by target', async () => {
    const table = await runCli(['--cache-dir', cacheDir, 'image', app.dockerArchive]);

    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^debian 12\.\d+ \(dpkg\) — OS packages, debian$/m);
    expect(table.stdout).toMatch(/^\/app\/node_modules — installed packages, npm$/m);
    expect(table.stdout).toMatch(/lodash\s+4\.17\.15\s+4\.17\.20\s+fixed/);
    expect(table.stdout).not.toContain('\u001b[');
  });
});
