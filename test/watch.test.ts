import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CLI, REPO_ROOT } from './helpers/paths.js';

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

/** Why this suite cannot run here, or undefined when bpftrace can attach and Docker has the image. */
function skipReason(): string | undefined {
  const attach = spawnSync('bpftrace', ['-e', 'BEGIN { exit(); }'], { encoding: 'utf8' });
  if (attach.error || attach.status !== 0) {
    return `bpftrace cannot attach here: ${attach.error?.message ?? attach.stderr.trim()}`;
  }
  const image = spawnSync('docker', ['image', 'inspect', IMAGE], { encoding: 'utf8' });
  return image.status === 0 ? undefined : `docker or the image ${IMAGE} is unavailable`;
}

const reason = skipReason();
if (reason) {
  process.emitWarning(`skipping the bulkhead watch integration test: ${reason}`);
}

/** Resolves when `text` appears on the stream, or after `ms` regardless. */
function waitFor(child: ChildProcess, text: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
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
    await waitFor(child, 'bulkhead: watching', 15_000);

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
