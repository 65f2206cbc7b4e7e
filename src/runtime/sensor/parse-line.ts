import { ARGV_MAX, LINE_TAG, mainFields } from './probe-script.js';
import { KIND_TABLE, type KindSpec } from './probe-table.js';
import { EVENT_KINDS, type EventKind, type RawEvent } from './raw-event.js';

/** What one line of bpftrace output turned out to be. */
export type ParsedLine =
  | { type: 'event'; event: RawEvent }
  | { type: 'argc'; tid: number; count: number; truncated: boolean }
  | { type: 'arg'; tid: number; index: number; value: string }
  | { type: 'extra'; tid: number; field: string; value: string }
  /** Every probe is attached (see `buildProbeScript`). */
  | { type: 'ready' }
  /** bpftrace could not keep up and the kernel's perf buffer overflowed. */
  | { type: 'lost'; count: number }
  /** bpftrace's own chatter ("Attaching 62 probes...") and blank lines. */
  | { type: 'ignored' }
  | { type: 'error'; reason: string };

const HEADER_FIELDS = 8;
const INTEGER = /^-?\d+$/;
const ESCAPE = /\\x([0-9a-fA-F]{2})/y;
const KINDS: ReadonlySet<string> = new Set(EVENT_KINDS);
const SPECS = new Map<EventKind, KindSpec>(KIND_TABLE.map((spec) => [spec.kind, spec]));

/**
 * Decodes bpftrace's `%r` rendering: printable ASCII as-is, any other byte as `\xNN`, NUL-padded.
 * The value ends at the first NUL; bytes are read as UTF-8.
 * TODO: a literal backslash is not escaped by bpftrace 0.17, so a name containing the text `\x41`
 * decodes as `A`; a crafted name can be shown with different bytes than it has on disk.
 *
 * @example
 * decodeBytes('evil\\x09name\\x00\\x00'); // 'evil\tname'
 */
export function decodeBytes(text: string): string {
  const bytes: number[] = [];
  let i = 0;
  while (i < text.length) {
    ESCAPE.lastIndex = i;
    const escape = ESCAPE.exec(text);
    const byte = escape ? parseInt(escape[1] ?? '0', 16) : text.charCodeAt(i) & 0xff;
    if (byte === 0) {
      break;
    }
    bytes.push(byte);
    i += escape ? 4 : 1;
  }
  return Buffer.from(bytes).toString('utf8');
}

function int(text: string | undefined): number | undefined {
  return text !== undefined && INTEGER.test(text) ? Number(text) : undefined;
}

function parseContinuation(tag: string, parts: string[]): ParsedLine {
  const tid = int(parts[0]);
  if (tid === undefined) {
    return { type: 'error', reason: `${tag} line without a tid` };
  }
  if (tag === 'argc') {
    // BH1	argc	7281	2	0
    const count = int(parts[1]);
    if (count === undefined || count > ARGV_MAX || parts.length !== 3) {
      return { type: 'error', reason: 'malformed argc line' };
    }
    return { type: 'argc', tid, count, truncated: parts[2] === '1' };
  }
  if (tag === 'arg') {
    // BH1	arg	7281	0	cat\x00\x00
    const index = int(parts[1]);
    if (index === undefined || parts.length !== 3) {
      return { type: 'error', reason: 'malformed arg line' };
    }
    return { type: 'arg', tid, index, value: decodeBytes(parts[2] ?? '') };
  }
  // BH1	x	8437	newPath	/tmp/y\x00\x00
  if (parts.length !== 3 || !parts[1]) {
    return { type: 'error', reason: 'malformed x line' };
  }
  return { type: 'extra', tid, field: parts[1], value: decodeBytes(parts[2] ?? '') };
}

/**
 * Parses one line printed by the generated program. Never throws: a malformed line comes back as
 * `{ type: 'error' }` so the caller can count it. Strings that arrive on later lines (argv, second
 * paths) start out empty in the event; `EventAssembler` fills them in.
 *
 * @example
 * parseLine('BH1\tunlink\tunlink\t56\t84\t84\t83\t0\t0\t1\tpython3\\x00\t/tmp/lnk\\x00');
 * // { type: 'event', event: { kind: 'unlink', syscall: 'unlink', path: '/tmp/lnk', ... } }
 */
export function parseLine(line: string): ParsedLine {
  // Lost 12 events
  const lost = /^Lost (\d+) events/.exec(line);
  if (lost) {
    return { type: 'lost', count: Number(lost[1]) };
  }
  if (!line.startsWith(`${LINE_TAG}\t`)) {
    return line.trim() === '' || !line.startsWith('BH')
      ? { type: 'ignored' }
      : { type: 'error', reason: 'unknown tag' };
  }
  const [, tag = '', ...rest] = line.split('\t');
  if (tag === 'ready' && rest.length === 0) {
    return { type: 'ready' };
  }
  if (tag === 'argc' || tag === 'arg' || tag === 'x') {
    return parseContinuation(tag, rest);
  }
  if (!KINDS.has(tag)) {
    return { type: 'error', reason: `unknown kind ${tag}` };
  }
  const spec = SPECS.get(tag as EventKind);
  const fields = spec ? mainFields(spec.fields) : [];
  if (!spec || rest.length !== 1 + HEADER_FIELDS + fields.length) {
    return { type: 'error', reason: `wrong field count for ${tag}` };
  }

  // BH1	open	openat	5611008740006	8479	8479	8346	0	0	1	cat\x00	/etc/shadow\x00	0	0
  const [syscall = '', ts, pid, tid, ppid, uid, gid, cgroup, comm = ''] = rest;
  const numbers = [pid, tid, ppid, uid, gid].map(int);
  if (!ts || !INTEGER.test(ts) || !cgroup || !INTEGER.test(cgroup) || numbers.includes(undefined)) {
    return { type: 'error', reason: `malformed header for ${tag}` };
  }
  const event: Record<string, unknown> = {
    kind: tag,
    syscall,
    ts: BigInt(ts),
    pid: numbers[0],
    tid: numbers[1],
    ppid: numbers[2],
    uid: numbers[3],
    gid: numbers[4],
    cgroupId: BigInt(cgroup),
    comm: decodeBytes(comm),
  };
  for (const field of spec.fields) {
    event[field.name] = field.type === 'int' ? 0 : '';
  }
  for (const [i, field] of fields.entries()) {
    const text = rest[1 + HEADER_FIELDS + i] ?? '';
    const value =
      field.type === 'int' ? int(text) : field.type === 'str' ? decodeBytes(text) : text;
    if (value === undefined) {
      return { type: 'error', reason: `field ${field.name} of ${tag} is not an integer` };
    }
    event[field.name] = value;
  }
  if (tag === 'exec') {
    event.argv = [];
    event.argvTruncated = false;
  }
  return { type: 'event', event: event as unknown as RawEvent };
}
