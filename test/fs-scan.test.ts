import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { ScanReport } from '../src/report/model.js';
import { runCli } from './helpers/cli.js';
import { REPO_ROOT } from './helpers/paths.js';

const cacheDir = inject('cacheDir');

describe('bulkhead fs on a project directory', () => {
  it('reads the lockfile when nothing is installed, flags dev packages and matches them', async () => {
    const project = path.join(REPO_ROOT, 'test/images/npm-app');

    const result = await runCli(['--cache-dir', cacheDir, 'fs', project, '--format', 'json']);
    const report = JSON.parse(result.stdout) as ScanReport;

    expect(result.code).toBe(0);
    expect(report.artifact.source).toBe('filesystem');
    expect(report.targets.map((t) => [t.name, t.kind])).toEqual([
      ['/package-lock.json', 'lockfile'],
    ]);
    const handlebars = report.packages.find((p) => p.name === 'handlebars');
    expect(handlebars).toMatchObject({ version: '4.7.6', dev: true, path: '/package-lock.json' });
    expect(handlebars?.layer).toBeUndefined();
    expect(
      report.vulnerabilities.some((v) => v.packageName === 'lodash' && v.id === 'CVE-2020-8203'),
    ).toBe(true);
  });
});
