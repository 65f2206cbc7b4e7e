import type { ProcessAncestor } from '../../policy/falco/event.js';

/** What the table remembers of one process: enough for `proc.*` and its ancestors. */
export interface ProcessEntry {
  name: string;
  exe?: string;
  exepath?: string;
  cmdline?: string;
  args?: string;
  ppid: number;
}

/** Ancestors beyond this depth are not reported; Falco's own rules look at most 7 up. */
const MAX_DEPTH = 8;

/**
 * Processes by pid, learned from exec events and forgotten on exit, so that `proc.pname` and
 * `proc.aname[n]` work for processes the sensor saw start. Bounded: past `capacity` the oldest
 * entries go first (a Map iterates in insertion order).
 *
 * @example
 * const table = new ProcessTable();
 * table.set(42, { name: 'bash', ppid: 1 });
 * table.ancestors(42); // [] unless pid 1 is known too
 */
export class ProcessTable {
  private readonly byPid = new Map<number, ProcessEntry>();

  constructor(private readonly capacity = 32_768) {}

  get size(): number {
    return this.byPid.size;
  }

  get(pid: number): ProcessEntry | undefined {
    return this.byPid.get(pid);
  }

  set(pid: number, entry: ProcessEntry): void {
    this.byPid.delete(pid);
    this.byPid.set(pid, entry);
    if (this.byPid.size > this.capacity) {
      const oldest = this.byPid.keys().next().value;
      if (oldest !== undefined) {
        this.byPid.delete(oldest);
      }
    }
  }

  delete(pid: number): void {
    this.byPid.delete(pid);
  }

  /** Parent first, then grandparent, stopping at the first pid the table does not know. */
  ancestors(ppid: number): ProcessAncestor[] {
    const chain: ProcessAncestor[] = [];
    const seen = new Set<number>();
    let pid = ppid;
    while (chain.length < MAX_DEPTH && pid > 0 && !seen.has(pid)) {
      seen.add(pid);
      const entry = this.byPid.get(pid);
      if (!entry) {
        break;
      }
      const { name, exe, exepath, cmdline } = entry;
      chain.push({ name, pid, ...defined({ exe, exepath, cmdline }) });
      pid = entry.ppid;
    }
    return chain;
  }
}

function defined<T extends Record<string, string | undefined>>(
  value: T,
): Partial<Record<keyof T, string>> {
  const out: Partial<Record<keyof T, string>> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined) {
      out[key as keyof T] = v;
    }
  }
  return out;
}
