import type { Ruleset } from '../../policy/falco/ruleset.js';
import { EVENT_KINDS, type EventKind } from '../sensor/raw-event.js';
import { DEFAULT_WATCHED_PATHS } from '../sensor/probe-script.js';

/** The sensor kind behind each Falco event type (see `policy/falco/event-types.ts`). */
const KIND_BY_TYPE: Record<string, EventKind> = {
  execve: 'exec',
  execveat: 'exec',
  procexit: 'exit',
  open: 'open',
  openat: 'open',
  openat2: 'open',
  creat: 'open',
  connect: 'connect',
  accept: 'accept',
  accept4: 'accept',
  bind: 'bind',
  listen: 'listen',
  socket: 'packet-socket',
  ptrace: 'ptrace',
  mount: 'mount',
  umount: 'umount',
  umount2: 'umount',
  setns: 'namespace',
  unshare: 'namespace',
  clone: 'namespace',
  clone3: 'namespace',
  init_module: 'module',
  finit_module: 'module',
  setuid: 'setid',
  setgid: 'setid',
  capset: 'capset',
  memfd_create: 'memfd',
  bpf: 'bpf',
};
for (const [kind, types] of Object.entries({
  rename: ['rename', 'renameat', 'renameat2'],
  unlink: ['unlink', 'unlinkat'],
  link: ['link', 'linkat'],
  symlink: ['symlink', 'symlinkat'],
  chmod: ['chmod', 'fchmod', 'fchmodat'],
  chown: ['chown', 'fchown', 'fchownat', 'lchown'],
})) {
  for (const type of types) {
    KIND_BY_TYPE[type] = kind as EventKind;
  }
}

/**
 * The sensor kinds the loaded rules need. Exec and exit are always traced because the process
 * table (`proc.pname`, `proc.aname`) is built from them; a catch-all rule needs every kind.
 *
 * @example
 * kindsForRules(ruleset); // ['exec', 'exit', 'open', 'ptrace', 'memfd']
 */
export function kindsForRules(ruleset: Ruleset): EventKind[] {
  const kinds = new Set<EventKind>(['exec', 'exit']);
  for (const rule of ruleset.rules) {
    if (rule.eventTypes === 'all') {
      return [...EVENT_KINDS];
    }
    for (const type of rule.eventTypes) {
      const kind = KIND_BY_TYPE[type];
      if (kind) {
        kinds.add(kind);
      }
    }
  }
  return EVENT_KINDS.filter((kind) => kinds.has(kind));
}

/** Absolute paths as rules write them, bare or quoted: `/etc/shadow`, `'/home/*\/.ssh/*'`. */
const PATH_TOKEN = /(?<![\w.~-])\/(?:[\w.*+@-]+\/?)+/g;
const ROOTS = /^\/(etc|root|home|proc|sys|var|run|dev|tmp|opt|srv|mnt|data)\//;

/**
 * Path prefixes for the sensor's open filter, taken from the rules text: every absolute path a
 * list, macro or condition mentions, cut before its first glob character, plus the sensor's
 * defaults. Prefixes already covered by a shorter one are dropped.
 * TODO: paths built only by `endswith` (`/.aws/credentials` under any home) are found only
 * under the prefixes listed here; an open of such a file elsewhere goes unseen.
 *
 * @example
 * watchedPathsFor(['fd.name in (/etc/shadow) or fd.name glob "/home/*\/.ssh/*"']);
 * // ['/etc/shadow', '/home/', ...defaults]
 */
export function watchedPathsFor(texts: readonly string[]): string[] {
  const found = new Set<string>(DEFAULT_WATCHED_PATHS);
  for (const text of texts) {
    for (const match of text.matchAll(PATH_TOKEN)) {
      const path = (match[0].split(/[*?[]/)[0] ?? '').replace(/\/+$/, '/');
      if (ROOTS.test(path) || ROOTS.test(`${path}/`)) {
        found.add(path);
      }
    }
  }
  const sorted = [...found].sort((a, b) => a.length - b.length || a.localeCompare(b));
  const kept: string[] = [];
  for (const path of sorted) {
    if (!kept.some((prefix) => path.startsWith(prefix))) {
      kept.push(path);
    }
  }
  return kept.sort();
}
