/**
 * The normalized event the rules engine evaluates. The sensor (src/runtime/sensor) fills it
 * from raw syscall records; the engine reads it only through the field registry in
 * `fields.ts`. Every part except `evt` is optional: a missing value makes a comparison false,
 * as in Falco, and only `exists` can test for it.
 */

/** Direction of a syscall record: `>` on entry, `<` on exit (Falco's `evt.dir`). */
export type EventDirection = '>' | '<';

/** One ancestor of the process, nearest first (index 0 is the parent). */
export interface ProcessAncestor {
  name: string;
  exe?: string;
  exepath?: string;
  cmdline?: string;
  pid?: number;
}

export interface RuntimeEvent {
  evt: {
    type: string;
    /** Sequence number of the event; Falco's `evt.num` starts at 1. */
    num?: number;
    /** Nanoseconds since the epoch. */
    time: bigint | number;
    dir: EventDirection;
    /** Syscall arguments by name, already rendered (`flags: 'O_RDWR|O_CREAT'`). */
    args: Record<string, string | number>;
    /** Return value of the syscall, on exit events. */
    res?: number;
  };
  proc?: {
    name: string;
    exe?: string;
    exepath?: string;
    /** Full command line, `bash -c ls`. */
    cmdline?: string;
    /** Arguments without the name, `-c ls`. */
    args?: string;
    pid?: number;
    ppid?: number;
    vpid?: number;
    /** Controlling terminal number; 0 when there is none. */
    tty?: number;
    cwd?: string;
    /** Parent first, then grandparent, and so on. */
    ancestors?: ProcessAncestor[];
    isExeUpperLayer?: boolean;
    isExeWritable?: boolean;
    isExeFromMemfd?: boolean;
  };
  user?: { uid: number; name?: string; loginuid?: number; loginname?: string };
  group?: { gid: number; name?: string };
  fd?: {
    /** Needed: Falco's open macros test `fd.num >= 0`, so without it they never match. */
    num?: number;
    name?: string;
    directory?: string;
    filename?: string;
    /** `file`, `directory`, `ipv4`, `ipv6`, `unix`, `pipe`, `event`, `signalfd`, ... */
    type?: string;
    /** One letter: `f`, `4`, `6`, `u`, `p`, ... */
    typechar?: string;
    sip?: string;
    sport?: number;
    dip?: string;
    dport?: number;
    cip?: string;
    cport?: number;
    l4proto?: string;
    /** For sockets: whether the connection is established. */
    connected?: boolean;
  };
  container?: {
    id: string;
    name?: string;
    image?: string;
    imageRepository?: string;
    imageTag?: string;
    privileged?: boolean;
    /** Mount points as `source:dest:mode:rw:propagation`, Falco's `container.mounts`. */
    mounts?: { source: string; dest: string; rw: boolean }[];
    labels?: Record<string, string>;
  };
}
