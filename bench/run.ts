/**
 * `npm run bench`: scan speed against plain untar of the same archive, peak memory, and the
 * import time of the whole offline OSV mirror. Every figure is measured in this one run, so
 * ratios hold on a noisy machine where absolute times do not.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, REPO_ROOT, TEST_CACHE, VULNDB_MIRROR } from '../test/helpers/paths.js';
import { timeFullUntar, timeNode, timeUntar } from './measure.js';

const RUNS = Number(process.env.BULKHEAD_BENCH_RUNS ?? 5);

interface Row {
  what: string;
  value: string;
  target: string;
  ok: boolean;
}

const rows: Row[] = [];

function record(what: string, value: string, target: string, ok: boolean): void {
  rows.push({ what, value, target, ok });
  console.log(`${ok ? 'ok  ' : 'MISS'}  ${what}: ${value}  (target ${target})`);
}

execFileSync('bash', ['test/images/build-npm-app.sh'], { cwd: REPO_ROOT, stdio: 'inherit' });

const cacheDir = mkdtempSync(path.join(tmpdir(), 'bulkhead-bench-cache-'));
try {
  const update = timeNode(
    [CLI, '--quiet', '--cache-dir', cacheDir, 'db', 'update', '--force', '--source', VULNDB_MIRROR],
    1,
  );
  record(
    'import of the whole OSV mirror',
    `${update.median.toFixed(1)} s, peak RSS ${update.peakRssMiB.toFixed(0)} MiB`,
    '<= 60 s',
    update.median <= 60,
  );

  for (const image of ['bookworm', 'npm-app']) {
    const archive = path.join(TEST_CACHE, `${image}.tar`);
    const untar = timeUntar(archive, RUNS);
    const scan = timeNode(
      [
        CLI,
        '--quiet',
        '--cache-dir',
        cacheDir,
        'image',
        archive,
        '--format',
        'json',
        '--output',
        '/dev/null',
      ],
      RUNS,
    );
    const ratio = scan.median / untar.median;
    record(
      `scan ${image}.tar (warm DB) vs tar -xf into tmpfs`,
      `${scan.median.toFixed(3)} s vs ${untar.median.toFixed(3)} s = ${ratio.toFixed(2)}x`,
      '<= 1.5x',
      ratio <= 1.5,
    );
    const full = timeFullUntar(archive, RUNS);
    const fullRatio = scan.median / full.median;
    record(
      `scan ${image}.tar vs untar of the archive and all its layers into tmpfs`,
      `${scan.median.toFixed(3)} s vs ${full.median.toFixed(3)} s = ${fullRatio.toFixed(2)}x`,
      '(informative)',
      true,
    );
    record(
      `peak RSS scanning ${image}.tar`,
      `${scan.peakRssMiB.toFixed(0)} MiB`,
      '<= 300 MiB',
      scan.peakRssMiB <= 300,
    );
  }
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}

console.log(`\n${RUNS} timed runs each after one warm-up; medians. node ${process.version}`);
process.exitCode = rows.every((r) => r.ok) ? 0 : 1;
