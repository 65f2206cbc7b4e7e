/**
 * The field definitions behind `fields.ts`, grouped by class as in Falco's field reference.
 * Defaults mirror Falco: an event outside a container has `container.id = host`.
 */
import type { ProcessAncestor, RuntimeEvent } from './event.js';
import type { FieldDef } from './fields.js';

const str = (name: string, get: (e: RuntimeEvent) => string | undefined): FieldDef => ({
  name,
  type: 'string',
  arg: 'none',
  get,
});
const num = (name: string, get: (e: RuntimeEvent) => number | undefined): FieldDef => ({
  name,
  type: 'number',
  arg: 'none',
  get,
});
const bool = (name: string, get: (e: RuntimeEvent) => boolean | undefined): FieldDef => ({
  name,
  type: 'boolean',
  arg: 'none',
  get,
});
const ips = (name: string, get: (e: RuntimeEvent) => (string | undefined)[]): FieldDef => ({
  name,
  type: 'ipnet',
  arg: 'none',
  get: (e) => get(e).filter((ip): ip is string => ip !== undefined),
});

/** The process itself as ancestor 0, then its parents: Falco's `proc.aname[0]` is `proc.name`. */
function lineage(e: RuntimeEvent): ProcessAncestor[] {
  return e.proc ? [e.proc, ...(e.proc.ancestors ?? [])] : [];
}

/** `proc.aname[2]` is one ancestor; bare `proc.aname` is every ancestor above the process. */
function ancestorField(name: string, pick: (a: ProcessAncestor) => string | undefined): FieldDef {
  return {
    name,
    type: 'strings',
    arg: 'optional',
    get: (e, arg) => {
      const chain = lineage(e);
      if (arg === undefined) {
        return chain.slice(1).flatMap((a) => pick(a) ?? []);
      }
      const index = Number(arg);
      const hit = Number.isInteger(index) ? chain[index] : undefined;
      return hit ? pick(hit) : undefined;
    },
  };
}

function openFlags(e: RuntimeEvent): string {
  return String(e.evt.args['flags'] ?? '');
}

const label = (e: RuntimeEvent, key: string): string | undefined => e.container?.labels?.[key];

// TODO: no thread.cap_*, proc.env, proc.duration, fd.sip.name, fd.name_changed, fd.port,
// fd.lport/rport, container.mount.*, evt.buffer or evt.is_open_exec yet; upstream rules using
// them are reported not evaluable, so those detections are silently absent at runtime.
export const FIELD_TABLE: readonly FieldDef[] = [
  str('evt.type', (e) => e.evt.type),
  str('evt.dir', (e) => e.evt.dir),
  num('evt.num', (e) => e.evt.num),
  num('evt.time', (e) => Number(e.evt.time)),
  {
    name: 'evt.arg',
    type: 'string',
    arg: 'required',
    get: (e, arg) => (arg === undefined ? undefined : e.evt.args[arg]?.toString()),
  },
  str('evt.args', (e) =>
    Object.entries(e.evt.args)
      .map(([k, v]) => `${k}=${v}`)
      .join(' '),
  ),
  num('evt.rawres', (e) => e.evt.res),
  str('evt.res', (e) =>
    e.evt.res === undefined ? undefined : e.evt.res >= 0 ? 'SUCCESS' : String(e.evt.res),
  ),
  bool('evt.is_open_read', (e) => /O_RDONLY|O_RDWR/.test(openFlags(e))),
  bool('evt.is_open_write', (e) => /O_WRONLY|O_RDWR/.test(openFlags(e))),

  str('proc.name', (e) => e.proc?.name),
  str('proc.exe', (e) => e.proc?.exe),
  str('proc.exepath', (e) => e.proc?.exepath),
  str('proc.cmdline', (e) => e.proc?.cmdline),
  str('proc.args', (e) => e.proc?.args),
  str('proc.cwd', (e) => e.proc?.cwd),
  num('proc.pid', (e) => e.proc?.pid),
  num('proc.ppid', (e) => e.proc?.ppid),
  num('proc.vpid', (e) => e.proc?.vpid),
  num('proc.tty', (e) => e.proc?.tty),
  str('proc.pname', (e) => e.proc?.ancestors?.[0]?.name),
  str('proc.pexe', (e) => e.proc?.ancestors?.[0]?.exe),
  str('proc.pexepath', (e) => e.proc?.ancestors?.[0]?.exepath),
  str('proc.pcmdline', (e) => e.proc?.ancestors?.[0]?.cmdline),
  ancestorField('proc.aname', (a) => a.name),
  ancestorField('proc.aexe', (a) => a.exe),
  ancestorField('proc.aexepath', (a) => a.exepath),
  bool('proc.is_exe_upper_layer', (e) => e.proc?.isExeUpperLayer),
  bool('proc.is_exe_writable', (e) => e.proc?.isExeWritable),
  bool('proc.is_exe_from_memfd', (e) => e.proc?.isExeFromMemfd),

  num('user.uid', (e) => e.user?.uid),
  str('user.name', (e) => e.user?.name),
  num('user.loginuid', (e) => e.user?.loginuid),
  str('user.loginname', (e) => e.user?.loginname),
  num('group.gid', (e) => e.group?.gid),
  str('group.name', (e) => e.group?.name),

  num('fd.num', (e) => e.fd?.num),
  str('fd.name', (e) => e.fd?.name),
  str('fd.directory', (e) => e.fd?.directory),
  str('fd.filename', (e) => e.fd?.filename),
  str('fd.type', (e) => e.fd?.type),
  str('fd.typechar', (e) => e.fd?.typechar),
  str('fd.sip', (e) => e.fd?.sip),
  num('fd.sport', (e) => e.fd?.sport),
  str('fd.dip', (e) => e.fd?.dip),
  num('fd.dport', (e) => e.fd?.dport),
  str('fd.cip', (e) => e.fd?.cip),
  num('fd.cport', (e) => e.fd?.cport),
  str('fd.l4proto', (e) => e.fd?.l4proto),
  ips('fd.ip', (e) => [e.fd?.sip, e.fd?.dip, e.fd?.cip]),
  bool('fd.connected', (e) => e.fd?.connected),
  ips('fd.net', (e) => [e.fd?.sip, e.fd?.dip, e.fd?.cip]),
  ips('fd.snet', (e) => [e.fd?.sip]),
  ips('fd.cnet', (e) => [e.fd?.cip]),

  str('container.id', (e) => e.container?.id ?? 'host'),
  str('container.name', (e) => (e.container ? e.container.name : 'host')),
  str('container.image', (e) => e.container?.image),
  str('container.image.repository', (e) => e.container?.imageRepository),
  str('container.image.tag', (e) => e.container?.imageTag),
  bool('container.privileged', (e) => e.container?.privileged),
  str('container.mounts', (e) =>
    e.container?.mounts?.map((m) => `${m.source}:${m.dest}:${m.rw ? 'rw' : 'ro'}`).join(','),
  ),
  str('k8s.ns.name', (e) => label(e, 'io.kubernetes.pod.namespace')),
  str('k8s.pod.name', (e) => label(e, 'io.kubernetes.pod.name')),
];
