import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { EventAssembler } from './event-assembler.js';
import { decodeBytes, parseLine } from './parse-line.js';
import type { RawEvent } from './raw-event.js';

/** Lines captured from bpftrace v0.17 on Debian 12 (kernel 6.18) running the generated program. */
const captured = readFileSync(new URL('./__fixtures__/bpftrace-0.17.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line !== '');

function assemble(lines: string[]): RawEvent[] {
  const assembler = new EventAssembler();
  const events = lines.flatMap((line) => assembler.push(parseLine(line)));
  return [...events, ...assembler.flush()];
}

describe('runtime/sensor/parse-line', () => {
  it.each([
    ['plain', 'cat\\x00\\x00', 'cat'],
    ['tab and newline', 'evil\\x09na\\x0ame\\x00', 'evil\tna\nme'],
    ['utf-8', '\\xc3\\xa9t\\xc3\\xa9\\x00', 'été'],
    ['no padding', 'abc', 'abc'],
    ['garbage after NUL', 'a\\x00b', 'a'],
  ])('decodes %s', (_name, input, expected) => {
    expect(decodeBytes(input)).toBe(expected);
  });

  it('parses every captured line without an error', () => {
    const results = captured.map(parseLine);

    expect(results.filter((r) => r.type === 'error')).toEqual([]);
    expect(results[0]).toEqual({ type: 'ignored' });
  });

  it.each([
    ['connect', { fd: 3, family: 2, address: '127.0.0.1', port: 8123, comm: 'python3' }],
    ['bind', { family: 10, address: '::1', port: 0 }],
    ['listen', { fd: 4, backlog: 3 }],
    ['packet-socket', { family: 17, type: 524291 }],
    ['setid', { syscall: 'setuid', id: 0 }],
    ['memfd', { name: 'evil\tname', flags: 1 }],
    ['chmod', { path: '/tmp/x', mode: 0o755 }],
    ['namespace', { syscall: 'unshare', flags: 0x40000000, fd: -1 }],
    ['open', { path: '/etc/shadow', flags: 0, comm: 'cat', ppid: 8346, cgroupId: 1n }],
    ['rename', { oldPath: '/tmp/x', newPath: '/tmp/y' }],
    ['symlink', { target: '/etc/shadow', linkPath: '/tmp/lnk' }],
    ['exit', { exitStatus: 0, comm: 'sleep', pid: 8348 }],
    ['exec', { filename: '/usr/bin/readlink', argv: ['/usr/bin/readlink', 'pyenv'] }],
  ])('assembles a captured %s event', (kind, expected) => {
    const events = assemble(captured);

    const event = events.find((e) => e.kind === kind);

    expect(event).toMatchObject(expected);
    expect(typeof event?.ts).toBe('bigint');
  });

  it.each([
    ['a truncated line', 'BH1\topen\topenat\t1\t2\t3'],
    ['a non-numeric pid', 'BH1\tlisten\tlisten\t5\tx\t1\t1\t0\t0\t1\tsh\\x00\t4\t3'],
    ['an unknown kind', 'BH1\tteleport\tx\t5\t1\t1\t1\t0\t0\t1\tsh\\x00'],
    ['an unknown tag version', 'BH9\tlisten'],
    ['a malformed arg line', 'BH1\targ\tabc\t0\tx'],
    ['a too large argc', 'BH1\targc\t5\t99\t0'],
  ])('reports %s as an error instead of throwing', (_name, line) => {
    expect(parseLine(line).type).toBe('error');
  });

  it('assembles the lines a container printed for `cat /etc/shadow`', () => {
    const lines = readFileSync(
      new URL('./__fixtures__/container-cat-shadow.txt', import.meta.url),
      'utf8',
    ).split('\n');

    const events = assemble(lines);

    expect(events).toMatchObject([
      { kind: 'exec', filename: '/usr/bin/cat', argv: ['cat', '/etc/shadow'], cgroupId: 652n },
      { kind: 'open', path: '/etc/shadow', comm: 'cat', cgroupId: 652n, pid: 11596 },
    ]);
  });

  it('reads the lost-events notice and the ready marker', () => {
    expect(parseLine('Lost 12 events')).toEqual({ type: 'lost', count: 12 });
    expect(parseLine('BH1\tready')).toEqual({ type: 'ready' });
  });

  it('counts continuation lines that match no pending event', () => {
    const assembler = new EventAssembler();

    const out = assembler.push(parseLine('BH1\tx\t99\tnewPath\t/tmp/y\\x00'));

    expect(out).toEqual([]);
    expect(assembler.orphans).toBe(1);
  });

  it('keeps events of interleaved threads apart', () => {
    const exec = (tid: number, file: string): string =>
      `BH1\texec\texecve\t1\t${tid}\t${tid}\t1\t0\t0\t1\tsh\\x00\t${file}\\x00`;
    const lines = [
      exec(10, '/bin/a'),
      exec(20, '/bin/b'),
      'BH1\targc\t20\t1\t0',
      'BH1\targc\t10\t1\t1',
      'BH1\targ\t10\t0\ta\\x00',
      'BH1\targ\t20\t0\tb\\x00',
    ];

    const events = assemble(lines);

    expect(events).toMatchObject([
      { tid: 10, argv: ['a'], argvTruncated: true },
      { tid: 20, argv: ['b'], argvTruncated: false },
    ]);
  });
});
