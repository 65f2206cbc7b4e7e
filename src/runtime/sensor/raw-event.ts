/**
 * The sensor's own event model: one record per line that the generated bpftrace program prints.
 * It is deliberately raw (syscall names, numeric flags, undecoded families) so that the rules
 * engine can map it to its own model later without the sensor depending on it.
 */

/** Field types a probe line can carry. `str` is hex-escaped by bpftrace's `%r`; `addr` is `ntop()` text. */
export type FieldType = 'str' | 'int' | 'addr';

/** Context every event carries, printed first on every line. */
export interface EventHeader {
  /** Monotonic kernel time in nanoseconds (`nsecs`), as a bigint because it exceeds 2^53 over time. */
  ts: bigint;
  pid: number;
  tid: number;
  ppid: number;
  uid: number;
  gid: number;
  comm: string;
  /** cgroup v2 id of the task (the inode number of its directory in the unified hierarchy). */
  cgroupId: bigint;
}

/** Every kind the sensor can trace. */
export const EVENT_KINDS = [
  'exec',
  'exit',
  'open',
  'rename',
  'unlink',
  'link',
  'symlink',
  'chmod',
  'chown',
  'connect',
  'accept',
  'bind',
  'listen',
  'packet-socket',
  'ptrace',
  'mount',
  'umount',
  'namespace',
  'module',
  'setid',
  'capset',
  'memfd',
  'bpf',
] as const;

export type EventKind = (typeof EVENT_KINDS)[number];

/** Kind-specific fields. Names match the `fields` of each entry in `probe-script.ts`. */
export interface KindFields {
  exec: { filename: string; argv: string[]; argvTruncated: boolean };
  /** The wait(2) status: exit code in bits 8-15, terminating signal in bits 0-6. */
  exit: { exitStatus: number };
  open: { path: string; flags: number; mode: number };
  rename: { oldPath: string; newPath: string };
  unlink: { path: string };
  link: { oldPath: string; newPath: string };
  symlink: { target: string; linkPath: string };
  chmod: { path: string; mode: number };
  chown: { path: string; owner: number; group: number };
  connect: { fd: number; family: number; address: string; port: number };
  accept: { fd: number };
  bind: { fd: number; family: number; address: string; port: number };
  listen: { fd: number; backlog: number };
  'packet-socket': { family: number; type: number; protocol: number };
  ptrace: { request: number; targetPid: number };
  mount: { source: string; target: string; fsType: string; flags: number };
  umount: { target: string; flags: number };
  namespace: { flags: number; fd: number };
  module: { fd: number; flags: number };
  setid: { id: number };
  capset: { targetPid: number };
  memfd: { name: string; flags: number };
  bpf: { command: number };
}

/**
 * A decoded line, discriminated by `kind`. `syscall` names the tracepoint that fired, since
 * several syscalls share one kind (`open` and `openat` both give `open`).
 */
export type RawEvent = {
  [K in EventKind]: EventHeader & { kind: K; syscall: string } & KindFields[K];
}[EventKind];

/** The event of one kind, e.g. `EventOf<'exec'>`. */
export type EventOf<K extends EventKind> = Extract<RawEvent, { kind: K }>;
