import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT, TEST_CACHE, VULNDB_MIRROR } from './helpers/paths.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A cache dir holding a vulnerability DB imported from the offline mirror for this run. */
    cacheDir: string;
    /** The npm application test image in every source form. */
    npmApp: { name: string; dockerArchive: string; ociLayout: string; ociArchive: string };
    bookworm: { name: string; dockerArchive: string };
  }
}

function run(command: string, args: string[]): void {
  execFileSync(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Makes the OCI layout and OCI archive forms of a docker-archive, once per archive content. */
function ociForms(archive: string, name: string): { layout: string; ociArchive: string } {
  const key = readFileSync(`${archive}.key`, 'utf8').trim();
  const layout = path.join(TEST_CACHE, `${name}-oci-${key}`);
  const ociArchive = path.join(TEST_CACHE, `${name}-oci-${key}.tar`);
  // Forms of earlier builds of the image are stale.
  for (const entry of readdirSync(TEST_CACHE)) {
    if (entry.startsWith(`${name}-oci-`) && !entry.startsWith(`${name}-oci-${key}`)) {
      rmSync(path.join(TEST_CACHE, entry), { recursive: true, force: true });
    }
  }
  if (!existsSync(path.join(layout, 'index.json'))) {
    rmSync(layout, { recursive: true, force: true });
    run('skopeo', ['copy', '--quiet', `docker-archive:${archive}`, `oci:${layout}:${name}`]);
  }
  if (!existsSync(ociArchive)) {
    run('skopeo', [
      'copy',
      '--quiet',
      `docker-archive:${archive}`,
      `oci-archive:${ociArchive}:${name}`,
    ]);
  }
  return { layout, ociArchive };
}

/**
 * Builds (or reuses) the real test images and imports the offline OSV mirror into a fresh
 * cache dir, so integration tests run against a real engine, real images and real data.
 */
export default function setup(project: TestProject): () => void {
  run('bash', ['test/images/build-npm-app.sh']);
  const npmArchive = path.join(TEST_CACHE, 'npm-app.tar');
  const { layout, ociArchive } = ociForms(npmArchive, 'npm-app');

  const cacheDir = mkdtempSync(path.join(tmpdir(), 'bulkhead-test-cache-'));
  run('node', [
    'bin/bulkhead.js',
    '--quiet',
    '--cache-dir',
    cacheDir,
    'db',
    'update',
    '--source',
    VULNDB_MIRROR,
  ]);

  project.provide('cacheDir', cacheDir);
  project.provide('npmApp', {
    name: 'bulkhead-test/npm-app:1',
    dockerArchive: npmArchive,
    ociLayout: layout,
    ociArchive,
  });
  project.provide('bookworm', {
    name: 'bulkhead-test/bookworm:minbase',
    dockerArchive: path.join(TEST_CACHE, 'bookworm.tar'),
  });
  return () => rmSync(cacheDir, { recursive: true, force: true });
}
