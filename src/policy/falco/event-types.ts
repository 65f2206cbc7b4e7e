/**
 * The event types bulkhead's sensor produces. A rule whose `evt.type` set lies outside this
 * list can never fire here, so the compiler marks it not evaluable instead of loading it.
 */
export const SENSOR_EVENT_TYPES: readonly string[] = [
  'execve',
  'execveat',
  'open',
  'openat',
  'openat2',
  'creat',
  'connect',
  'accept',
  'accept4',
  'bind',
  'listen',
  'ptrace',
  'mount',
  'umount',
  'umount2',
  'setns',
  'unshare',
  'clone',
  'clone3',
  'init_module',
  'finit_module',
  'setuid',
  'setgid',
  'capset',
  'memfd_create',
  'bpf',
  'rename',
  'renameat',
  'renameat2',
  'unlink',
  'unlinkat',
  'link',
  'linkat',
  'symlink',
  'symlinkat',
  'chmod',
  'fchmod',
  'fchmodat',
  'chown',
  'fchown',
  'fchownat',
  'lchown',
  'socket',
  'procexit',
  'container',
];

const SUPPORTED: ReadonlySet<string> = new Set(SENSOR_EVENT_TYPES);

/**
 * Whether the sensor can produce events of this type.
 *
 * @example
 * isSensorEventType('openat'); // true
 * isSensorEventType('dup2'); // false
 */
export function isSensorEventType(type: string): boolean {
  return SUPPORTED.has(type);
}
