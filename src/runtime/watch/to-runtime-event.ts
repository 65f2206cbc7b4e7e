import { basename, dirname } from 'node:path';

import type { RuntimeEvent } from '../../policy/falco/event.js';
import type { EventOf, RawEvent } from '../sensor/raw-event.js';
import { familyText, modeText, openFlagsText, ptraceRequestText } from './flags.js';
import { ProcessTable, type ProcessEntry } from './process-table.js';

type Args = RuntimeEvent['evt']['args'];
type Fd = NonNullable<RuntimeEvent['fd']>;

/** Falco's event type names where they differ from the tracepoint's syscall name. */
const TYPE_BY_KIND: Partial<Record<RawEvent['kind'], string>> = {
  exit: 'procexit',
  'packet-socket': 'socket',
};

export interface EventMapperOptions {
  /** Nanoseconds to add to bpftrace's monotonic `nsecs` to get epoch time. */
  clockOffsetNs?: bigint;
  /** User names by uid (host `/etc/passwd`); uid 0 is always `root`. */
  users?: ReadonlyMap<number, string>;
  table?: ProcessTable;
}

/**
 * The new process image an exec event describes: Falco's `proc.name` is the file's base name,
 * `proc.exe` is argv[0] and `proc.cmdline` is the name followed by the arguments.
 *
 * @example
 * execEntry({ filename: '/bin/cat', argv: ['cat', '/etc/shadow'], ppid: 7 }).cmdline; // 'cat /etc/shadow'
 */
export function execEntry(raw: Pick<EventOf<'exec'>, 'filename' | 'argv' | 'ppid'>): ProcessEntry {
  const name = basename(raw.filename).slice(0, 16) || raw.filename;
  const args = raw.argv.slice(1).join(' ');
  return {
    name,
    exe: raw.argv[0] ?? raw.filename,
    exepath: raw.filename,
    cmdline: args ? `${name} ${args}` : name,
    args,
    ppid: raw.ppid,
  };
}

/**
 * Turns the sensor's raw events into the rules engine's {@link RuntimeEvent}, keeping the
 * process table current from exec and exit events. Every event is presented as Falco's exit
 * record (`evt.dir = <`), which is what its rules test, although the sensor fires on entry.
 *
 * @example
 * const mapper = new EventMapper();
 * const event = mapper.map(raw, { id: 'host', name: 'host' });
 * ruleset.evaluate(event);
 */
export class EventMapper {
  readonly table: ProcessTable;
  private count = 0;

  constructor(private readonly options: EventMapperOptions = {}) {
    this.table = options.table ?? new ProcessTable();
  }

  map(raw: RawEvent, container?: RuntimeEvent['container']): RuntimeEvent {
    if (raw.kind === 'exec') {
      this.table.set(raw.pid, execEntry(raw));
    }
    const known = this.table.get(raw.pid);
    const entry: ProcessEntry = known ?? { name: raw.comm, ppid: raw.ppid };
    const event: RuntimeEvent = {
      evt: {
        type: TYPE_BY_KIND[raw.kind] ?? raw.syscall,
        num: ++this.count,
        time: raw.ts + (this.options.clockOffsetNs ?? 0n),
        dir: '<',
        args: argsOf(raw),
      },
      proc: {
        ...entry,
        pid: raw.pid,
        ppid: raw.ppid,
        ancestors: this.table.ancestors(raw.ppid),
      },
      user: { uid: raw.uid, ...named(raw.uid === 0 ? 'root' : this.options.users?.get(raw.uid)) },
      group: { gid: raw.gid },
      ...(container ? { container } : {}),
    };
    const fd = fdOf(raw);
    if (fd) {
      event.fd = fd;
    }
    if (raw.kind === 'exit') {
      this.table.delete(raw.pid);
    }
    return event;
  }
}

function named(name: string | undefined): { name?: string } {
  return name === undefined ? {} : { name };
}

function argsOf(raw: RawEvent): Args {
  switch (raw.kind) {
    case 'exec':
      return { filename: raw.filename, args: raw.argv.slice(1).join(' ') };
    case 'open':
      return { name: raw.path, flags: openFlagsText(raw.flags), mode: raw.mode };
    case 'connect':
    case 'bind':
      return { fd: raw.fd, family: familyText(raw.family), addr: raw.address, port: raw.port };
    case 'ptrace':
      return { request: ptraceRequestText(raw.request), pid: raw.targetPid };
    case 'chmod':
      // Falco names these `filename` and `mode`; `path` is kept for the other path-keyed kinds.
      return { filename: raw.path, path: raw.path, mode: modeText(raw.mode) };
    case 'memfd':
      return { name: raw.name, flags: raw.flags };
    case 'exit':
      return { status: raw.exitStatus };
    default: {
      const { kind: _k, syscall: _s, ts: _t, pid: _p, tid: _i, ppid: _pp, ...rest } = raw;
      const { uid: _u, gid: _g, comm: _c, cgroupId: _cg, ...fields } = rest;
      return flatten(fields);
    }
  }
}

function flatten(fields: Record<string, unknown>): Args {
  const out: Args = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string' || typeof value === 'number') {
      out[key] = value;
    }
  }
  return out;
}

function fdOf(raw: RawEvent): Fd | undefined {
  if (raw.kind === 'open') {
    // TODO: the sensor fires on syscall entry, so the real descriptor is unknown; 0 stands in
    // because Falco's open macros require `fd.num >= 0`. Failed opens match as well.
    const directory = dirname(raw.path);
    return {
      num: 0,
      name: raw.path,
      directory,
      filename: basename(raw.path),
      type: 'file',
      typechar: 'f',
    };
  }
  if (raw.kind !== 'connect') {
    return undefined;
  }
  const v6 = raw.family === 10;
  const inet = raw.family === 2 || v6;
  return {
    num: raw.fd,
    type: inet ? (v6 ? 'ipv6' : 'ipv4') : raw.family === 1 ? 'unix' : 'unknown',
    typechar: inet ? (v6 ? '6' : '4') : raw.family === 1 ? 'u' : '?',
    ...(inet ? { sip: raw.address, dip: raw.address, sport: raw.port, dport: raw.port } : {}),
    // TODO: the local side of a connect is not captured; fd.cip/cport stay unset.
    ...(inet ? { name: `->${raw.address}:${raw.port}` } : {}),
  };
}
