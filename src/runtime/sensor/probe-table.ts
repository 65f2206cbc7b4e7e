import type { EventKind, FieldType } from './raw-event.js';

/** One field a probe prints after the common header. */
export interface FieldSpec {
  name: string;
  type: FieldType;
}

/** One tracepoint feeding a kind. `args` are bpftrace expressions, one per field of the kind. */
export interface ProbeSpec {
  /** Tracepoint without the `tracepoint:` prefix, e.g. `syscalls:sys_enter_openat`. */
  tracepoint: string;
  /** Statements run before the guard, e.g. to cast a sockaddr. */
  setup?: string;
  /** A condition evaluated in the kernel; lines are printed only when it holds. */
  guard?: string;
  args: string[];
}

/** One row of the table: a kind, the fields its lines carry, and the probes that produce it. */
export interface KindSpec {
  kind: EventKind;
  fields: FieldSpec[];
  probes: ProbeSpec[];
}

function sys(name: string, args: string[], guard?: string): ProbeSpec {
  return { tracepoint: `syscalls:sys_enter_${name}`, args, ...(guard ? { guard } : {}) };
}

function str(name: string): FieldSpec {
  return { name, type: 'str' };
}

function int(name: string): FieldSpec {
  return { name, type: 'int' };
}

/** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME (linux/sched.h). */
const CLONE_NEW_MASK = '0x7e020080';
const AF_PACKET = 17;

/**
 * Address probes (connect, bind) cast the user sockaddr in the kernel, one probe block per family
 * on the same tracepoint: AF_INET (2) and AF_INET6 (10) print `ntop()` text and a host-order port,
 * any other family prints `-` and port 0.
 * TODO: unix socket paths are not captured; a connect to /var/run/docker.sock shows family 1 only.
 */
function sockaddrProbes(name: string, ptr: string): ProbeSpec[] {
  const tracepoint = `syscalls:sys_enter_${name}`;
  const port = '(($sa->PORT >> 8) | (($sa->PORT & 0xff) << 8))';
  return [
    {
      tracepoint,
      setup: `$sa = (struct sockaddr_in *)args->${ptr};`,
      guard: '$sa->sin_family == 2',
      args: [
        'args->fd',
        '$sa->sin_family',
        'ntop($sa->sin_addr.s_addr)',
        port.replaceAll('PORT', 'sin_port'),
      ],
    },
    {
      tracepoint,
      setup: `$sa = (struct sockaddr_in6 *)args->${ptr};`,
      guard: '$sa->sin6_family == 10',
      args: [
        'args->fd',
        '$sa->sin6_family',
        'ntop($sa->sin6_addr.in6_u.u6_addr8)',
        port.replaceAll('PORT', 'sin6_port'),
      ],
    },
    {
      tracepoint,
      setup: `$sa = (struct sockaddr *)args->${ptr};`,
      guard: '$sa->sa_family != 2 && $sa->sa_family != 10',
      args: ['args->fd', '$sa->sa_family', '"-"', '0'],
    },
  ];
}

/**
 * The table of kinds (exec is special-cased by the generator because its argv is printed on
 * separate `arg` lines; see `probe-script.ts`). Open is filtered by the generator's path guard.
 */
export const KIND_TABLE: readonly KindSpec[] = [
  {
    // TODO: the working directory is not captured, so a relative filename cannot be resolved.
    kind: 'exec',
    fields: [str('filename')],
    probes: [sys('execve', ['args->filename']), sys('execveat', ['args->filename'])],
  },
  {
    kind: 'exit',
    fields: [int('exitStatus')],
    probes: [
      {
        tracepoint: 'sched:sched_process_exit',
        guard: 'pid == tid',
        args: ['curtask->exit_code'],
      },
    ],
  },
  {
    kind: 'open',
    fields: [str('path'), int('flags'), int('mode')],
    probes: [
      sys('openat', ['args->filename', 'args->flags', 'args->mode']),
      sys('open', ['args->filename', 'args->flags', 'args->mode']),
    ],
  },
  {
    kind: 'rename',
    fields: [str('oldPath'), str('newPath')],
    probes: ['rename', 'renameat', 'renameat2'].map((n) =>
      sys(n, ['args->oldname', 'args->newname']),
    ),
  },
  {
    kind: 'unlink',
    fields: [str('path')],
    probes: [sys('unlink', ['args->pathname']), sys('unlinkat', ['args->pathname'])],
  },
  {
    kind: 'link',
    fields: [str('oldPath'), str('newPath')],
    probes: ['link', 'linkat'].map((n) => sys(n, ['args->oldname', 'args->newname'])),
  },
  {
    kind: 'symlink',
    fields: [str('target'), str('linkPath')],
    probes: ['symlink', 'symlinkat'].map((n) => sys(n, ['args->oldname', 'args->newname'])),
  },
  {
    kind: 'chmod',
    fields: [str('path'), int('mode')],
    probes: ['chmod', 'fchmodat'].map((n) => sys(n, ['args->filename', 'args->mode'])),
  },
  {
    kind: 'chown',
    fields: [str('path'), int('owner'), int('group')],
    probes: ['chown', 'lchown', 'fchownat'].map((n) =>
      sys(n, ['args->filename', 'args->user', 'args->group']),
    ),
  },
  {
    kind: 'connect',
    fields: [int('fd'), int('family'), { name: 'address', type: 'addr' }, int('port')],
    probes: sockaddrProbes('connect', 'uservaddr'),
  },
  {
    // TODO: the peer address of accept is only known at syscall exit; only the fd is reported.
    kind: 'accept',
    fields: [int('fd')],
    probes: [sys('accept', ['args->fd']), sys('accept4', ['args->fd'])],
  },
  {
    kind: 'bind',
    fields: [int('fd'), int('family'), { name: 'address', type: 'addr' }, int('port')],
    probes: sockaddrProbes('bind', 'umyaddr'),
  },
  {
    kind: 'listen',
    fields: [int('fd'), int('backlog')],
    probes: [sys('listen', ['args->fd', 'args->backlog'])],
  },
  {
    kind: 'packet-socket',
    fields: [int('family'), int('type'), int('protocol')],
    probes: [
      sys(
        'socket',
        ['args->family', 'args->type', 'args->protocol'],
        `args->family == ${AF_PACKET}`,
      ),
    ],
  },
  {
    kind: 'ptrace',
    fields: [int('request'), int('targetPid')],
    probes: [sys('ptrace', ['args->request', 'args->pid'])],
  },
  {
    kind: 'mount',
    fields: [str('source'), str('target'), str('fsType'), int('flags')],
    probes: [sys('mount', ['args->dev_name', 'args->dir_name', 'args->type', 'args->flags'])],
  },
  {
    kind: 'umount',
    fields: [str('target'), int('flags')],
    probes: [sys('umount', ['args->name', 'args->flags'])],
  },
  {
    kind: 'namespace',
    fields: [int('flags'), int('fd')],
    probes: [
      sys('setns', ['args->flags', 'args->fd']),
      sys('unshare', ['args->unshare_flags', '-1']),
      sys('clone', ['args->clone_flags', '-1'], `(args->clone_flags & ${CLONE_NEW_MASK}) != 0`),
    ],
  },
  {
    // Absent on kernels built without module support; the source drops missing tracepoints.
    kind: 'module',
    fields: [int('fd'), int('flags')],
    probes: [sys('init_module', ['-1', '0']), sys('finit_module', ['args->fd', 'args->flags'])],
  },
  {
    kind: 'setid',
    fields: [int('id')],
    probes: [sys('setuid', ['args->uid']), sys('setgid', ['args->gid'])],
  },
  {
    kind: 'capset',
    fields: [int('targetPid')],
    probes: [sys('capset', ['((struct __user_cap_header_struct *)args->header)->pid'])],
  },
  {
    kind: 'memfd',
    fields: [str('name'), int('flags')],
    probes: [sys('memfd_create', ['args->uname', 'args->flags'])],
  },
  { kind: 'bpf', fields: [int('command')], probes: [sys('bpf', ['args->cmd'])] },
];
