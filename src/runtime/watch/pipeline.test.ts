import { describe, expect, it } from 'vitest';

import { loadFalcoRules } from '../../policy/falco/engine.js';
import type { BpftraceSource, BpftraceSourceOptions } from '../sensor/bpftrace-source.js';
import type { RawEvent } from '../sensor/raw-event.js';
import type { Alert } from './alert.js';
import { runWatch } from './pipeline.js';

const RULES = `
- rule: Dev shm exec
  desc: d
  condition: evt.type = execve and proc.exepath startswith /dev/shm/ and proc.pname = sh
  output: exec %proc.exepath by %proc.pname in %container.id
  priority: WARNING
  tags: [t]
- rule: Key read
  desc: d
  condition: evt.type = openat and fd.name = /srv/keys/k and fd.num >= 0
  output: read %fd.name
  priority: ERROR
`;

const HEADER = { ts: 5n, tid: 0, uid: 0, gid: 0, cgroupId: 1n };
/** pid 1_000_001 lies above any real pid_max, so /proc never answers for these. */
const EVENTS = [
  {
    ...HEADER,
    kind: 'exec',
    syscall: 'execve',
    pid: 1_000_001,
    ppid: 1,
    comm: 'x',
    filename: '/bin/sh',
    argv: ['sh'],
    argvTruncated: false,
  },
  {
    ...HEADER,
    kind: 'exec',
    syscall: 'execve',
    pid: 1_000_002,
    ppid: 1_000_001,
    comm: 'sh',
    filename: '/dev/shm/payload',
    argv: ['/dev/shm/payload'],
    argvTruncated: false,
  },
  {
    ...HEADER,
    kind: 'open',
    syscall: 'openat',
    pid: 1_000_002,
    ppid: 1_000_001,
    comm: 'payload',
    path: '/srv/keys/k',
    flags: 0,
    mode: 0,
  },
] as RawEvent[];

function fakeSource(seen: BpftraceSourceOptions[]) {
  return (options: BpftraceSourceOptions): BpftraceSource => {
    seen.push(options);
    return {
      id: 'bpftrace',
      start: () => Promise.resolve(),
      stop: () => Promise.resolve(),
      events: (async function* () {
        yield* EVENTS;
      })(),
      stats: () => ({ events: 3, drops: 0, parseErrors: 0, lost: 0, orphans: 0, restarts: 0 }),
    };
  };
}

describe('runtime/watch/pipeline', () => {
  it('maps, evaluates and reports alerts with the sensor set up for the rules', async () => {
    const { ruleset } = loadFalcoRules([{ file: 'r.yaml', text: RULES }]);
    const alerts: Alert[] = [];
    const options: BpftraceSourceOptions[] = [];

    const stats = await runWatch({
      ruleset,
      ruleTexts: [RULES],
      endpoint: { socketPath: '/nonexistent.sock', display: 'test' },
      onAlert: (alert) => alerts.push(alert),
      signal: new AbortController().signal,
      createSource: fakeSource(options),
    });

    expect(stats.events).toBe(3);
    expect(options[0]?.kinds).toEqual(['exec', 'exit', 'open']);
    expect(options[0]?.watchedPaths).toContain('/srv/keys/k');
    expect(alerts.map((a) => [a.rule, a.output])).toEqual([
      ['Dev shm exec', 'exec /dev/shm/payload by sh in host'],
      ['Key read', 'read /srv/keys/k'],
    ]);
  });
});
