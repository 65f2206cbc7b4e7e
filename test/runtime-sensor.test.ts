import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sensorSkipReason } from './helpers/sensor.js';

import {
  createBpftraceSource,
  type BpftraceSource,
} from '../src/runtime/sensor/bpftrace-source.js';
import { CgroupIndex, cgroup2Root } from '../src/runtime/sensor/cgroup.js';
import type { RawEvent } from '../src/runtime/sensor/raw-event.js';

const IMAGE = 'bulkhead-test/bookworm:minbase';
/** Async on purpose: a sync exec would block the loop that drains bpftrace's pipe. */
const run = promisify(execFile);

const reason = sensorSkipReason(IMAGE);
if (reason) {
  process.emitWarning(`skipping the bpftrace sensor integration test: ${reason}`);
}

describe.skipIf(reason !== undefined)('runtime/sensor (bpftrace, docker)', () => {
  let source: BpftraceSource;
  let containerId = '';
  const seen: { event: RawEvent; container: string | undefined }[] = [];
  let consumer: Promise<void> | undefined;

  beforeAll(async () => {
    const root = cgroup2Root(readFileSync('/proc/self/mounts', 'utf8')) ?? '/sys/fs/cgroup';
    const index = new CgroupIndex(root, 100);
    source = createBpftraceSource({
      kinds: ['exec', 'open', 'connect'],
      watchedPaths: ['/etc/shadow'],
    });
    await source.start();
    // Resolve containers while they run: their cgroup directory goes away when they exit.
    consumer = (async () => {
      for await (const event of source.events) {
        const container =
          event.cgroupId === 1n ? undefined : await index.containerId(event.cgroupId);
        seen.push({ event, container });
      }
    })();

    await run('/bin/true');
    const script = 'sleep 1; cat /etc/shadow; ls /; sleep 1';
    const started = await run('docker', [
      'run',
      '-d',
      '--network',
      'none',
      IMAGE,
      'sh',
      '-c',
      script,
    ]);
    containerId = started.stdout.trim();
    await run('docker', ['wait', containerId]);
  }, 60_000);

  afterAll(async () => {
    await source?.stop();
    await consumer;
    if (containerId) {
      spawnSync('docker', ['rm', '-f', containerId]);
    }
  });

  it('sees the container exec cat /etc/shadow and attributes it to the container', async () => {
    await expect
      .poll(
        () => seen.find(({ event }) => event.kind === 'exec' && event.argv.includes('/etc/shadow')),
        {
          timeout: 15_000,
        },
      )
      .toBeDefined();

    const exec = seen.find(
      ({ event }) =>
        event.kind === 'exec' &&
        /\/cat$/.test(event.filename) &&
        event.argv.includes('/etc/shadow'),
    );

    expect(exec?.event).toMatchObject({ kind: 'exec', argv: ['cat', '/etc/shadow'], comm: 'sh' });
    expect(exec?.container).toBe(containerId);
  });

  it('sees the open of /etc/shadow inside the container', async () => {
    await expect
      .poll(
        () =>
          seen.find(
            ({ event }) =>
              event.kind === 'open' && event.comm === 'cat' && event.path === '/etc/shadow',
          ),
        {
          timeout: 15_000,
        },
      )
      .toBeDefined();

    const open = seen.find(({ event }) => event.kind === 'open' && event.path === '/etc/shadow');

    expect(open?.container).toBe(containerId);
  });

  it('sees a host exec with no container', () => {
    const host = seen.find(({ event }) => event.kind === 'exec' && event.filename === '/bin/true');

    expect(host).toBeDefined();
    expect(host?.container).toBeUndefined();
  });

  it('counts no parse errors or drops', () => {
    const stats = source.stats();

    expect(stats.parseErrors).toBe(0);
    expect(stats.drops).toBe(0);
    expect(stats.lost).toBe(0);
    expect(stats.events).toBeGreaterThan(0);
  });
});
