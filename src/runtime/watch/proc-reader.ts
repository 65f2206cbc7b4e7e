import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

import type { ProcessEntry } from './process-table.js';

/**
 * Reads what the process table needs of a process that started before the sensor, from
 * `/proc/<pid>` (man 5 proc). Asynchronous on purpose: a synchronous read would stall the loop
 * that drains bpftrace's pipe. Undefined when the process is gone.
 *
 * @example
 * await readProcEntry(1); // { name: 'systemd', exepath: '/usr/lib/systemd/systemd', ppid: 0, ... }
 */
export async function readProcEntry(
  pid: number,
  proc = '/proc',
): Promise<ProcessEntry | undefined> {
  const dir = join(proc, String(pid));
  const [stat, cmdline, exepath] = await Promise.all([
    readFile(join(dir, 'stat'), 'utf8').catch(() => undefined),
    readFile(join(dir, 'cmdline'), 'utf8').catch(() => ''),
    readlink(join(dir, 'exe')).catch(() => undefined),
  ]);
  if (stat === undefined) {
    return undefined;
  }

  // "42 (my prog) S 1 ...": the name sits in parentheses and may itself hold spaces or ")".
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  const name = stat.slice(open + 1, close);
  const ppid = Number(stat.slice(close + 2).split(' ')[1] ?? 0);
  const argv = cmdline.split('\0').filter((arg) => arg !== '');
  const args = argv.slice(1).join(' ');
  return {
    name,
    ppid,
    ...(argv[0] === undefined ? {} : { exe: argv[0] }),
    ...(exepath === undefined ? {} : { exepath }),
    cmdline: args ? `${name} ${args}` : name,
    args,
  };
}
