/**
 * Renders the numeric syscall arguments the sensor reports the way Falco prints them, so that
 * rules comparing `evt.arg.flags` or `evt.arg.request` with names work unchanged.
 */

/** open(2) flags from asm-generic/fcntl.h (x86-64 and arm64 share these values). */
const OPEN_FLAGS: readonly [number, string][] = [
  [0o100, 'O_CREAT'],
  [0o200, 'O_EXCL'],
  [0o400, 'O_NOCTTY'],
  [0o1000, 'O_TRUNC'],
  [0o2000, 'O_APPEND'],
  [0o4000, 'O_NONBLOCK'],
  [0o10000, 'O_DSYNC'],
  [0o40000, 'O_DIRECT'],
  [0o200000, 'O_DIRECTORY'],
  [0o400000, 'O_NOFOLLOW'],
  [0o1000000, 'O_NOATIME'],
  [0o2000000, 'O_CLOEXEC'],
  [0o10000000, 'O_PATH'],
  [0o20000000, 'O_TMPFILE'],
];

const ACCESS_MODES = ['O_RDONLY', 'O_WRONLY', 'O_RDWR', 'O_RDWR'] as const;

/**
 * Names the access mode and each set flag, access mode first.
 *
 * @example
 * openFlagsText(0o2000101); // 'O_WRONLY|O_CREAT|O_CLOEXEC'
 */
export function openFlagsText(flags: number): string {
  const names: string[] = [ACCESS_MODES[flags & 3] ?? 'O_RDONLY'];
  for (const [bit, name] of OPEN_FLAGS) {
    if ((flags & bit) !== 0) {
      names.push(name);
    }
  }
  return names.join('|');
}

/** ptrace(2) requests from linux/ptrace.h. */
const PTRACE_REQUESTS: Record<number, string> = {
  0: 'PTRACE_TRACEME',
  1: 'PTRACE_PEEKTEXT',
  2: 'PTRACE_PEEKDATA',
  3: 'PTRACE_PEEKUSER',
  4: 'PTRACE_POKETEXT',
  5: 'PTRACE_POKEDATA',
  6: 'PTRACE_POKEUSER',
  7: 'PTRACE_CONT',
  8: 'PTRACE_KILL',
  9: 'PTRACE_SINGLESTEP',
  12: 'PTRACE_GETREGS',
  13: 'PTRACE_SETREGS',
  16: 'PTRACE_ATTACH',
  17: 'PTRACE_DETACH',
  24: 'PTRACE_SYSCALL',
  0x4206: 'PTRACE_SEIZE',
  0x4207: 'PTRACE_INTERRUPT',
};

/**
 * The request's name, or its number when it has none here.
 *
 * @example
 * ptraceRequestText(16); // 'PTRACE_ATTACH'
 */
export function ptraceRequestText(request: number): string {
  return PTRACE_REQUESTS[request] ?? String(request);
}

/** Address families the sensor reports (linux/socket.h). */
const FAMILIES: Record<number, string> = {
  1: 'AF_UNIX',
  2: 'AF_INET',
  10: 'AF_INET6',
  17: 'AF_PACKET',
};

/**
 * The family's name, or its number.
 *
 * @example
 * familyText(10); // 'AF_INET6'
 */
export function familyText(family: number): string {
  return FAMILIES[family] ?? String(family);
}

/** File mode bits from linux/stat.h, in the order Falco prints them (`evt.arg.mode` of chmod). */
const MODE_BITS: readonly [number, string][] = [
  [0o1, 'S_IXOTH'],
  [0o2, 'S_IWOTH'],
  [0o4, 'S_IROTH'],
  [0o10, 'S_IXGRP'],
  [0o20, 'S_IWGRP'],
  [0o40, 'S_IRGRP'],
  [0o100, 'S_IXUSR'],
  [0o200, 'S_IWUSR'],
  [0o400, 'S_IRUSR'],
  [0o1000, 'S_ISVTX'],
  [0o2000, 'S_ISGID'],
  [0o4000, 'S_ISUID'],
];

/**
 * Names each set permission bit of a chmod mode, joined with `|`; `0` when none is set.
 *
 * @example
 * modeText(0o4755); // 'S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|S_ISUID'
 */
export function modeText(mode: number): string {
  const names = MODE_BITS.filter(([bit]) => (mode & bit) !== 0).map(([, name]) => name);
  return names.length > 0 ? names.join('|') : '0';
}
