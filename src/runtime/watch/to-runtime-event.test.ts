import { describe, expect, it } from 'vitest';

import type { RawEvent } from '../sensor/raw-event.js';
import { EventMapper, execEntry } from './to-runtime-event.js';

const HEADER = {
  ts: 1_000n,
  pid: 200,
  tid: 200,
  ppid: 100,
  uid: 0,
  gid: 0,
  comm: 'sh',
  cgroupId: 7n,
};

function raw(fields: Record<string, unknown>): RawEvent {
  return { ...HEADER, ...fields } as RawEvent;
}

const EXEC = raw({
  kind: 'exec',
  syscall: 'execve',
  filename: '/usr/bin/cat',
  argv: ['cat', '/etc/shadow'],
  argvTruncated: false,
});

describe('runtime/watch/to-runtime-event', () => {
  it.each([
    ['exec', EXEC, 'execve'],
    ['exit', raw({ kind: 'exit', syscall: 'sched_process_exit', exitStatus: 0 }), 'procexit'],
    ['open', raw({ kind: 'open', syscall: 'openat', path: '/x', flags: 0, mode: 0 }), 'openat'],
    [
      'connect',
      raw({ kind: 'connect', syscall: 'connect', fd: 3, family: 2, address: '1.2.3.4', port: 80 }),
      'connect',
    ],
    ['ptrace', raw({ kind: 'ptrace', syscall: 'ptrace', request: 16, targetPid: 9 }), 'ptrace'],
    ['memfd', raw({ kind: 'memfd', syscall: 'memfd_create', name: 'x', flags: 1 }), 'memfd_create'],
    [
      'packet-socket',
      raw({ kind: 'packet-socket', syscall: 'socket', family: 17, type: 3, protocol: 0 }),
      'socket',
    ],
    ['unlink', raw({ kind: 'unlink', syscall: 'unlinkat', path: '/tmp/a' }), 'unlinkat'],
  ])('maps %s to evt.type %s', (_name, event, type) => {
    const mapped = new EventMapper().map(event);

    expect(mapped.evt.type).toBe(type);
    expect(mapped.evt.dir).toBe('<');
  });

  it.each([
    [0o4755, 'S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID', true],
    [0o2750, 'S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISGID', false],
    [0o644, 'S_IROTH|S_IRGRP|S_IWUSR|S_IRUSR', false],
    [0, '0', false],
  ])('renders chmod mode %o as %s', (mode, text, setuid) => {
    const event = raw({ kind: 'chmod', syscall: 'fchmodat', path: '/bin/ls', mode });
    const mapped = new EventMapper().map(event);

    expect(mapped.evt.args).toEqual({ filename: '/bin/ls', path: '/bin/ls', mode: text });
    expect(String(mapped.evt.args['mode']).includes('S_ISUID')).toBe(setuid);
  });

  it.each([
    [0, 'O_RDONLY'],
    [0o1101, 'O_WRONLY|O_CREAT|O_TRUNC'],
    [0o2000002, 'O_RDWR|O_CLOEXEC'],
  ])('renders open flags %o as %s, with fd fields set', (flags, text) => {
    const event = raw({ kind: 'open', syscall: 'openat', path: '/etc/shadow', flags, mode: 0 });

    const mapped = new EventMapper().map(event);

    expect(mapped.evt.args['flags']).toBe(text);
    expect(mapped.fd).toMatchObject({ num: 0, name: '/etc/shadow', directory: '/etc' });
    expect(mapped.fd?.filename).toBe('shadow');
  });

  it('describes the new image on exec and keeps it for later events of the pid', () => {
    const mapper = new EventMapper();
    mapper.table.set(100, { name: 'sh', cmdline: 'sh -c x', ppid: 50 });
    mapper.table.set(50, { name: 'containerd-shim', ppid: 1 });

    const exec = mapper.map(EXEC);
    const open = mapper.map(
      raw({ kind: 'open', syscall: 'openat', path: '/etc/shadow', flags: 0, mode: 0, comm: 'cat' }),
    );

    expect(exec.proc).toMatchObject({ name: 'cat', exepath: '/usr/bin/cat', pid: 200 });
    expect(open.proc?.cmdline).toBe('cat /etc/shadow');
    expect(open.proc?.ancestors?.map((a) => a.name)).toEqual(['sh', 'containerd-shim']);
  });

  it('forgets a process on exit and numbers events from 1', () => {
    const mapper = new EventMapper();

    const first = mapper.map(EXEC);
    const exit = mapper.map(raw({ kind: 'exit', syscall: 'sched_process_exit', exitStatus: 0 }));

    expect(first.evt.num).toBe(1);
    expect(exit.evt.num).toBe(2);
    expect(mapper.table.get(200)).toBeUndefined();
  });

  it('falls back to the comm for processes it never saw start', () => {
    const event = raw({ kind: 'memfd', syscall: 'memfd_create', name: 'x', flags: 0, uid: 1000 });

    const mapped = new EventMapper({ users: new Map([[1000, 'alice']]) }).map(event);

    expect(mapped.proc?.name).toBe('sh');
    expect(mapped.user).toEqual({ uid: 1000, name: 'alice' });
  });

  it('maps connect addresses to fd fields and ptrace requests to names', () => {
    const mapper = new EventMapper();
    const connect = raw({
      kind: 'connect',
      syscall: 'connect',
      fd: 5,
      family: 10,
      address: '::1',
      port: 443,
    });

    const mapped = mapper.map(connect);
    const ptrace = mapper.map(
      raw({ kind: 'ptrace', syscall: 'ptrace', request: 0x4206, targetPid: 9 }),
    );

    expect(mapped.fd).toMatchObject({ num: 5, typechar: '6', dip: '::1', dport: 443 });
    expect(ptrace.evt.args).toEqual({ request: 'PTRACE_SEIZE', pid: 9 });
  });

  it('builds the cmdline from the base name and arguments', () => {
    expect(execEntry({ filename: '/bin/bash', argv: ['bash'], ppid: 1 })).toMatchObject({
      name: 'bash',
      cmdline: 'bash',
      args: '',
    });
  });
});
