import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Timing {
  /** Median wall time in seconds. */
  median: number;
  runs: number[];
}

export interface NodeRun extends Timing {
  /** Highest peak RSS over the runs, in MiB. */
  peakRssMiB: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function check(result: ReturnType<typeof spawnSync>, what: string): void {
  if (result.status !== 0) {
    throw new Error(`${what} exited ${result.status}: ${String(result.stderr).slice(0, 2000)}`);
  }
}

/** Times `run` `count` times after one warm-up; `prepare` runs untimed before each. */
export function timeRuns(count: number, run: () => void, prepare: () => void = () => {}): Timing {
  prepare();
  run();
  const runs: number[] = [];
  for (let i = 0; i < count; i += 1) {
    prepare();
    const start = process.hrtime.bigint();
    run();
    runs.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { median: median(runs), runs };
}

/** Plain `tar -xf ARCHIVE` into a fresh directory on tmpfs (/dev/shm). */
export function timeUntar(archive: string, count: number): Timing {
  let dir = '';
  return timeRuns(
    count,
    () => check(spawnSync('tar', ['-xf', archive, '-C', dir]), 'tar -xf'),
    () => {
      if (dir) {
        rmSync(dir, { recursive: true, force: true });
      }
      dir = mkdtempSync('/dev/shm/bulkhead-bench-');
    },
  );
}

/**
 * Plain untar of the whole image: the archive into tmpfs, then every layer tar it lists, in
 * order, into one root directory (what unpacking an image by hand costs, whiteouts aside).
 */
export function timeFullUntar(archive: string, count: number): Timing {
  const manifest = execFileSync('tar', ['-xOf', archive, 'manifest.json'], { encoding: 'utf8' });
  const layers = (JSON.parse(manifest) as { Layers: string[] }[])[0]?.Layers ?? [];
  let dir = '';
  const script = [
    'set -e',
    'mkdir "$1/archive" "$1/root"',
    'tar -xf "$2" -C "$1/archive"',
    ...layers.map((layer) => `tar -xf "$1/archive/${layer}" -C "$1/root"`),
  ].join('\n');
  return timeRuns(
    count,
    () => check(spawnSync('sh', ['-c', script, 'untar', dir, archive]), 'full untar'),
    () => {
      if (dir) {
        rmSync(dir, { recursive: true, force: true });
      }
      dir = mkdtempSync('/dev/shm/bulkhead-bench-');
    },
  );
}

/** Runs a node script `count` times, timing each and recording the peak RSS. */
export function timeNode(args: string[], count: number, env: NodeJS.ProcessEnv = {}): NodeRun {
  const rssFile = path.join(mkdtempSync(path.join(tmpdir(), 'bulkhead-bench-')), 'rss');
  const probe = path.join(import.meta.dirname, 'rss-probe.mjs');
  const timing = timeRuns(count, () =>
    check(
      spawnSync(process.execPath, ['--import', probe, ...args], {
        env: { ...process.env, ...env, BULKHEAD_BENCH_RSS_FILE: rssFile },
        maxBuffer: 256 * 1024 * 1024,
      }),
      args.join(' '),
    ),
  );
  const peaks = readFileSync(rssFile, 'utf8').trim().split('\n').map(Number);
  rmSync(path.dirname(rssFile), { recursive: true, force: true });
  return { ...timing, peakRssMiB: Math.max(...peaks) / 1024 };
}
