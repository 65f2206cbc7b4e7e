import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CLI, REPO_ROOT } from './helpers/paths.js';
import { sensorSkipReason, waitForStderr } from './helpers/sensor.js';

const IMAGE = 'bulkhead-test/bookworm:minbase';
const NAME = 'bulkhead-watch-test';
const FALCO_KEYS = [
  'time',
  'rule',
  'priority',
  'output',
  'output_fields',
  'tags',
  'hostname',
  'source',
];
/** Async on purpose: a sync exec would stall this process while watch runs beside it. */
const run = promisify(execFile);

interface AlertLine {
  rule: string;
  output_fields: Record<string, string>;
  [key: string]: unknown;
}

const reason = sensorSkipReason(IMAGE);
if (reason) {
  process.emitWarning(`skipping the bulkhead watch integration test: ${reason}`);
}

describe.skipIf(reason !== undefined)('bulkhead watch (bpftrace, docker)', () => {
  let watch: ChildProcess | undefined;
  let stdout = '';
  let stderr = '';
  let code: number | null = null;
  let lines: AlertLine[] = [];

  beforeAll(async () => {
    spawnSync('docker', ['rm', '-f', NAME]);
    const child = spawn(process.execPath, [CLI, 'watch', '--format', 'json', '--duration', '20'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    watch = child;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<void>((resolve) => {
      child.on('close', (exit) => {
        code = exit;
        resolve();
      });
    });
    await waitForStderr(child, 'bulkhead: watching', 15_000);

    await run('docker', [
      ...['run', '--rm', '--network', 'none', '--name', NAME, IMAGE],
      ...['sh', '-c', 'cat /etc/shadow > /dev/null; bash -c true'],
    ]);
    // Let the last events drain through the pipeline before stopping.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    child.kill('SIGINT');
    await closed;
    lines = stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as AlertLine);
  }, 40_000);

  afterAll(async () => {
    if (watch && watch.exitCode === null && watch.signalCode === null) {
      watch.kill('SIGKILL');
    }
    await run('docker', ['rm', '-f', NAME]).catch(() => undefined);
  });

  it('stops cleanly on SIGINT and prints sensor stats', () => {
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/sensor stats: \d+ events, \d+ dropped/);
  });

  it('writes every alert with Falco JSON keys', () => {
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(FALCO_KEYS);
      expect(line['source']).toBe('syscall');
    }
  });

  it('alerts on the shell started in the container', () => {
    const shell = lines.find(
      (l) =>
        l.rule === 'Bulkhead Shell in Container' &&
        l.output_fields['container.name'] === NAME &&
        l.output_fields['proc.cmdline'] === 'bash -c true',
    );

    expect(shell?.output_fields['container.image.repository'], stdout).toBe(
      'bulkhead-test/bookworm',
    );
  });

  it('alerts on the read of /etc/shadow in the container', () => {
    const read = lines.find(
      (l) =>
        l.rule === 'Bulkhead Sensitive File Read in Container' &&
        l.output_fields['container.name'] === NAME,
    );

    expect(read?.output_fields, stdout).toMatchObject({
      'container.image.repository': 'bulkhead-test/bookworm',
      'fd.name': '/etc/shadow',
      'proc.cmdline': 'cat /etc/shadow',
    });
  });
});
