/**
 * The kernel-event sensor: a generated bpftrace program, its line parser, the child-process
 * source and cgroup-to-container mapping.
 */
export { createBpftraceSource } from './bpftrace-source.js';
export type { BpftraceSource, BpftraceSourceOptions, SensorStats } from './bpftrace-source.js';
export {
  CgroupIndex,
  cgroup2Root,
  containerIdFromCgroupPath,
  containerIdFromProcCgroup,
  containerIdOfPid,
} from './cgroup.js';
export { parseLine, decodeBytes } from './parse-line.js';
export type { ParsedLine } from './parse-line.js';
export { EventAssembler } from './event-assembler.js';
export { buildProbeScript, DEFAULT_WATCHED_PATHS, STRLEN, ARGV_MAX } from './probe-script.js';
export { preflight } from './preflight.js';
export { EVENT_KINDS } from './raw-event.js';
export type { EventKind, EventOf, KindFields, RawEvent } from './raw-event.js';
