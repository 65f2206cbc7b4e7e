import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CLI, REPO_ROOT } from './helpers/paths.js';
import { sensorSkipReason, waitForStderr } from './helpers/sensor.js';

const IMAGE = 'bulkhead-test/bookworm:minbase';
const NAME = 'bulkhead-watch-more';
/** Each step fires one of the file, network and persistence rules with real syscalls. */
const SCRIPT = [
  'chmod u+s /bin/ls',
  'ln -s /etc/shadow /tmp/s',
  ': > /var/log/dpkg.log',
  'echo x >> /root/.bashrc',
  // --network none and loopback only: the connect is refused, but the sensor sees the syscall.
  "bash -c 'echo > /dev/tcp/127.0.0.1/3333' 2>/dev/null",
  'true',
].join('; ');
/** Async on purpose: a sync exec would stall this process while watch runs beside it. */
const run = promisify(execFile);

interface AlertLine {
  rule: string;
  output_fields: Record<string, string>;
}

const reason = sensorSkipReason(IMAGE);
if (reason) {
  process.emitWarning(`skipping the bulkhead watch-more integration test: ${reason}`);
}

describe.skipIf(reason !== undefined)('bulkhead watch: file, network and persistence rules', () => {
  let watch: ChildProcess | undefined;
  let stdout = '';
  let stderr = '';
  let code: number | null = null;
  let lines: AlertLine[] = [];

  /** The alert of `rule` raised for this suite's container, if any. */
  function alert(rule: string): AlertLine | undefined {
    return lines.find((l) => l.rule === rule && l.output_fields['container.name'] === NAME);
  }

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
      ...['sh', '-c', SCRIPT],
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

  it('stops cleanly on SIGINT', () => {
    expect(code, stderr).toBe(0);
  });

  it('alerts on the setuid bit set by chmod', () => {
    expect(
      alert('Bulkhead Setuid or Setgid Bit Set in Container')?.output_fields,
      stdout,
    ).toMatchObject({
      'container.image.repository': 'bulkhead-test/bookworm',
      'evt.arg.filename': '/bin/ls',
      'proc.cmdline': 'chmod u+s /bin/ls',
    });
  });

  it('alerts on the symlink to /etc/shadow', () => {
    expect(
      alert('Bulkhead Link to Sensitive File in Container')?.output_fields,
      stdout,
    ).toMatchObject({
      'evt.arg.target': '/etc/shadow',
      'evt.arg.linkPath': '/tmp/s',
      'proc.cmdline': 'ln -s /etc/shadow /tmp/s',
    });
  });

  it('alerts on the truncation of /var/log/dpkg.log', () => {
    expect(
      alert('Bulkhead Log or History Clearing in Container')?.output_fields,
      stdout,
    ).toMatchObject({
      'fd.name': '/var/log/dpkg.log',
      'proc.name': 'sh',
    });
  });

  it('alerts on the write to /root/.bashrc', () => {
    expect(
      alert('Bulkhead Shell Startup File Modified in Container')?.output_fields,
      stdout,
    ).toMatchObject({
      'fd.name': '/root/.bashrc',
      'proc.name': 'sh',
    });
  });

  it('alerts on the connect from bash to a mining pool port', () => {
    const fields = { 'fd.name': '->127.0.0.1:3333', 'proc.name': 'bash' };

    expect(
      alert('Bulkhead Connection to Mining Pool Port from Container')?.output_fields,
      stdout,
    ).toMatchObject({
      ...fields,
      'fd.dport': '3333',
    });
    expect(alert('Bulkhead Reverse Shell in Container')?.output_fields, stdout).toMatchObject(
      fields,
    );
  });
});
