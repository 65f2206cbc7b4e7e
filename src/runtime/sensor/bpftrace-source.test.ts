import { afterEach, describe, expect, it } from 'vitest';

import { AppError } from '../../core/errors/index.js';
import { createBpftraceSource, type BpftraceSource } from './bpftrace-source.js';
import { preflight } from './preflight.js';
import type { RawEvent } from './raw-event.js';

const LISTEN = 'BH1\\tlisten\\tlisten\\t5\\t84\\t84\\t83\\t0\\t0\\t1\\tpython3\\\\x00\\t4\\t3';

/** A stand-in for bpftrace: a node process running `code`, which gets the script path as argv[1]. */
function fake(code: string): { file: string; args: (script: string) => string[] } {
  return { file: process.execPath, args: (script) => ['-e', code, script] };
}

async function take(source: BpftraceSource, n: number): Promise<RawEvent[]> {
  const out: RawEvent[] = [];
  for await (const event of source.events) {
    out.push(event);
    if (out.length === n) {
      break;
    }
  }
  return out;
}

describe('runtime/sensor/bpftrace-source', () => {
  let source: BpftraceSource | undefined;
  afterEach(async () => {
    await source?.stop();
    source = undefined;
  });

  it('streams parsed events and counts malformed lines', async () => {
    const code = `console.log('Attaching 2 probes...'); console.log('BH1\tready'); console.log('${LISTEN}'); console.log('BH1\\tlisten\\tbad'); setInterval(() => {}, 1000);`;
    source = createBpftraceSource({ kinds: ['listen'], command: fake(code) });

    await source.start();
    const events = await take(source, 1);

    expect(events[0]).toMatchObject({ kind: 'listen', fd: 4, backlog: 3, pid: 84 });
    await expect.poll(() => source?.stats().parseErrors).toBe(1);
  });

  it('drops events past the queue capacity instead of blocking the child', async () => {
    const code = `console.log('Attaching 2 probes...'); console.log('BH1\tready'); for (let i = 0; i < 50; i++) console.log('${LISTEN}'); setInterval(() => {}, 1000);`;
    source = createBpftraceSource({ kinds: ['listen'], command: fake(code), queueCapacity: 10 });

    await source.start();

    await expect.poll(() => source?.stats().events).toBe(50);
    expect(source.stats().drops).toBe(40);
  });

  it('restarts a child that dies after attaching', async () => {
    const code = `console.log('Attaching 2 probes...'); console.log('BH1\tready'); console.log('${LISTEN}'); setTimeout(() => process.exit(1), 20);`;
    source = createBpftraceSource({
      kinds: ['listen'],
      command: fake(code),
      initialBackoffMs: 10,
      maxBackoffMs: 40,
    });

    await source.start();

    await expect.poll(() => source?.stats().restarts, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    expect(source.stats().events).toBeGreaterThanOrEqual(2);
  });

  it('rejects start with a one-line AppError when the child never attaches', async () => {
    const code = `console.error('ERROR: couldn\\'t set RLIMIT_MEMLOCK'); console.error('ERROR: tracepoint not found: x:y'); process.exit(1);`;
    source = createBpftraceSource({ kinds: ['listen'], command: fake(code) });

    const error = await source.start().catch((err: unknown) => err);

    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'sensor-failed',
      message: 'bpftrace did not attach: ERROR: tracepoint not found: x:y',
    });
  });

  it.each([
    ['a missing binary', { bpftrace: '/nonexistent/bpftrace' }, /bpftrace cannot be run/],
    ['no root', { bpftrace: process.execPath, isRoot: false }, /needs root/],
    [
      'no tracefs',
      { bpftrace: process.execPath, isRoot: true, tracefsCandidates: ['/nonexistent'] },
      /tracefs/,
    ],
  ])('preflight explains %s', (_name, options, message) => {
    const run = (): unknown => preflight(options);

    expect(run).toThrow(message);
    expect(() => preflight(options)).toThrow(
      expect.objectContaining({ code: 'sensor-unavailable' }),
    );
  });
});
