import type { EventKind } from './raw-event.js';
import { KIND_TABLE, type FieldSpec, type ProbeSpec } from './probe-table.js';

/**
 * Line format (one line per record, tab-separated, every string hex-escaped):
 *
 *   BH1 <kind> <syscall> <ts> <pid> <tid> <ppid> <uid> <gid> <cgroup> <comm> <fields...>
 *   BH1 argc <tid> <count> <truncated 0|1>
 *   BH1 arg <tid> <index> <value>
 *   BH1 x <tid> <field> <value>
 *   BH1 ready
 *
 * Strings are printed with `%r` over `buf(str(x), STRLEN)`: bpftrace 0.17 writes printable ASCII
 * as-is and every other byte as `\xNN`, so tabs and newlines inside a path can never split a field
 * or a line. The buffer is NUL-padded up to STRLEN; the parser cuts at the first `\x00`.
 *
 * Sizes: strings are cut at `STRLEN` bytes (bpftrace's BPFTRACE_STRLEN, set in the child's
 * environment). 128 is the most that fits: each `str()` and `buf()` lives on the 512-byte BPF
 * stack, and 200 overflows it in the exec probe. argv is bounded to `ARGV_MAX` entries, each
 * printed on its own `arg` line tied to the exec line by tid, because one printf carrying several
 * strings also overflows the stack; a second path (rename, link, mount) goes on an `x` line.
 */
export const LINE_TAG = 'BH1';
export const STRLEN = 128;
export const ARGV_MAX = 8;
/** argv entries printed per BPF program; more overflow the stack. */
export const ARGS_PER_BLOCK = 2;

/** Path prefixes whose opens are reported when no list is given. */
export const DEFAULT_WATCHED_PATHS: readonly string[] = [
  '/etc/shadow',
  '/etc/sudoers',
  '/root/.ssh',
  '/proc/sys/kernel/core_pattern',
  '/sys/fs/cgroup',
  '/var/run/docker.sock',
  '/run/docker.sock',
];

export interface ProbeScriptOptions {
  kinds: readonly EventKind[];
  /** Prefixes for `open`; compared in the kernel with `strncmp`. Defaults to DEFAULT_WATCHED_PATHS. */
  watchedPaths?: readonly string[];
  /** Says whether a tracepoint exists here; missing ones are left out. Defaults to "all exist". */
  hasTracepoint?: (tracepoint: string) => boolean;
}

const HEADER_FORMAT = '%lld\\t%d\\t%d\\t%d\\t%d\\t%d\\t%lld\\t%r';
const HEADER_ARGS = '$ts, pid, tid, curtask->real_parent->tgid, uid, gid, cgroup, buf(comm, 16)';

function formatOf(field: FieldSpec): string {
  return field.type === 'int' ? '%lld' : field.type === 'addr' ? '%s' : '%r';
}

function argOf(field: FieldSpec, expr: string): string {
  return field.type === 'str' ? `buf(str(${expr}), ${STRLEN})` : expr;
}

function quote(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/**
 * Fields printed on the main line: all but the second and later strings (see `extraBlocks`).
 *
 * @example
 * const rename = KIND_TABLE.find((k) => k.kind === 'rename');
 * mainFields(rename.fields); // [oldPath]; newPath comes on an `x` line
 */
export function mainFields(fields: readonly FieldSpec[]): FieldSpec[] {
  const first = fields.find((f) => f.type === 'str');
  return fields.filter((f) => f.type !== 'str' || f === first);
}

function printLine(kind: string, syscall: string, fields: FieldSpec[], probe: ProbeSpec): string {
  const main = mainFields(fields);
  const format = [LINE_TAG, kind, syscall, HEADER_FORMAT, ...main.map(formatOf)].join('\\t');
  const args = main.map((field) => argOf(field, probe.args[fields.indexOf(field)] ?? '0'));
  return `printf("${format}\\n", ${[HEADER_ARGS, ...args].join(', ')});`;
}

function argvCount(): string {
  let nest = '';
  for (let i = ARGV_MAX - 1; i >= 0; i--) {
    nest = `if (*($a + ${i}) != 0) { $n = ${i + 1}; ${nest}}`;
  }
  return `$a = args->argv;\n  $n = 0;\n  ${nest}`;
}

/**
 * argv blocks for one exec tracepoint. Each block is its own BPF program with its own 512-byte
 * stack, so the strings are spread over several blocks on the same tracepoint. The kernel runs
 * them one after another on the same CPU, so their lines reach bpftrace in order; they are tied
 * to the exec line by tid.
 */
function argvBlocks(tracepoint: string): string[] {
  const blocks = [
    `tracepoint:${tracepoint} {\n  ${argvCount()}\n  ` +
      `$more = $n == ${ARGV_MAX} && *($a + ${ARGV_MAX}) != 0 ? 1 : 0;\n  ` +
      `printf("${LINE_TAG}\\targc\\t%d\\t%d\\t%d\\n", tid, $n, $more);\n}`,
  ];
  for (let first = 0; first < ARGV_MAX; first += ARGS_PER_BLOCK) {
    const prints: string[] = [];
    for (let i = first; i < Math.min(first + ARGS_PER_BLOCK, ARGV_MAX); i++) {
      prints.push(
        `if ($n > ${i}) { printf("${LINE_TAG}\\targ\\t%d\\t${i}\\t%r\\n", tid, ` +
          `buf(str(*($a + ${i})), ${STRLEN})); }`,
      );
    }
    blocks.push(`tracepoint:${tracepoint} {\n  ${argvCount()}\n  ${prints.join('\n  ')}\n}`);
  }
  return blocks;
}

/**
 * A second string in one printf overflows the stack, so each string after the first gets its own
 * block printing `BH1 x <tid> <field> <value>`, in table order right after the main line.
 */
function extraBlocks(fields: FieldSpec[], probe: ProbeSpec): string[] {
  const main = mainFields(fields);
  const blocks: string[] = [];
  for (const [i, field] of fields.entries()) {
    if (main.includes(field)) {
      continue;
    }
    const print =
      `printf("${LINE_TAG}\\tx\\t%d\\t${field.name}\\t%r\\n", tid, ` +
      `${argOf(field, probe.args[i] ?? '0')});`;
    const body = [probe.setup ?? '', probe.guard ? `if (${probe.guard}) { ${print} }` : print];
    blocks.push(`tracepoint:${probe.tracepoint} {\n  ${body.filter(Boolean).join('\n  ')}\n}`);
  }
  return blocks;
}

function openGuard(paths: readonly string[]): string {
  const tests = paths.map((p) => `strncmp($p, ${quote(p)}, ${Buffer.byteLength(p)}) == 0`);
  return tests.length === 0 ? '0' : tests.join(' || ');
}

/**
 * open: the prefix test and the print live in two blocks on the same tracepoint, joined by a
 * per-thread flag in `@bh_open`; string literals in `strncmp` and the printed copy together
 * overflow the stack in one program. Only matching opens reach user space.
 * TODO: paths relative to a directory fd (openat with dfd != AT_FDCWD, or a relative path after
 * chdir) are compared as written, so `cd /etc && cat shadow` is missed; openat2 is not traced.
 * TODO: a flag set while bpftrace is still attaching (test block live, print block not yet) stays
 * until that thread's next open, which is then reported once with a path that does not match.
 */
function openBlocks(tracepoint: string, print: string, paths: readonly string[]): string {
  const test =
    `tracepoint:${tracepoint} {\n  $p = str(args->filename);\n` +
    `  if (${openGuard(paths)}) {\n    @bh_open[tid] = 1;\n  }\n}`;
  const emit =
    `tracepoint:${tracepoint} {\n  if (@bh_open[tid] == 1) {\n    delete(@bh_open[tid]);\n` +
    `    $ts = nsecs;\n    ${print}\n  }\n}`;
  return `${test}\n\n${emit}`;
}

function probeBlock(
  kind: EventKind,
  fields: FieldSpec[],
  probe: ProbeSpec,
  paths: readonly string[],
): string {
  const syscall = probe.tracepoint.split(':')[1]?.replace('sys_enter_', '') ?? probe.tracepoint;
  const print = printLine(kind, syscall, fields, probe);
  if (kind === 'open') {
    return openBlocks(probe.tracepoint, print, paths);
  }
  const body = ['$ts = nsecs;'];
  if (probe.setup) {
    body.push(probe.setup);
  }
  body.push(probe.guard ? `if (${probe.guard}) {\n    ${print}\n  }` : print);
  const main = `tracepoint:${probe.tracepoint} {\n  ${body.join('\n  ')}\n}`;
  const more = kind === 'exec' ? argvBlocks(probe.tracepoint) : extraBlocks(fields, probe);
  return [main, ...more].join('\n\n');
}

/**
 * Generates a bpftrace program printing one `BH1` line per event of the chosen kinds.
 *
 * @example
 * const script = buildProbeScript({ kinds: ['exec', 'open'], watchedPaths: ['/etc/shadow'] });
 * // write it to a file and run `BPFTRACE_STRLEN=128 bpftrace <file>`
 */
export function buildProbeScript(options: ProbeScriptOptions): string {
  const paths = options.watchedPaths ?? DEFAULT_WATCHED_PATHS;
  const has = options.hasTracepoint ?? (() => true);
  const blocks: string[] = [];
  for (const spec of KIND_TABLE) {
    if (!options.kinds.includes(spec.kind)) {
      continue;
    }
    for (const probe of spec.probes) {
      if (has(probe.tracepoint)) {
        blocks.push(probeBlock(spec.kind, spec.fields, probe, paths));
      }
    }
  }
  // bpftrace prints "Attaching N probes..." before attaching and attaches in script order, so
  // this last probe's one-time `ready` line is the first moment every probe is live.
  blocks.push(
    `interval:ms:100 {\n  if (@bh_ready == 0) {\n    @bh_ready = 1;\n` +
      `    printf("${LINE_TAG}\\tready\\n");\n  }\n}`,
  );
  // Keeps bpftrace from printing the flag maps when it exits.
  const maps = options.kinds.includes('open') ? ['@bh_ready', '@bh_open'] : ['@bh_ready'];
  blocks.push(`END {\n${maps.map((m) => `  clear(${m});\n`).join('')}}`);
  return `${blocks.join('\n\n')}\n`;
}
