import { mainFields } from './probe-script.js';
import { KIND_TABLE } from './probe-table.js';
import type { ParsedLine } from './parse-line.js';
import type { EventKind, RawEvent } from './raw-event.js';

interface Pending {
  event: RawEvent & { argv?: string[]; argvTruncated?: boolean };
  /** exec: argv entries still expected; undefined until the argc line arrives. */
  argsLeft?: number;
  extrasLeft: Set<string>;
}

/** Names of each kind's strings that arrive on `x` lines after the main line. */
const EXTRAS = new Map<EventKind, string[]>(
  KIND_TABLE.map((spec) => [
    spec.kind,
    spec.fields.filter((f) => !mainFields(spec.fields).includes(f)).map((f) => f.name),
  ]),
);

/** Most events in flight at once; past it the oldest is released incomplete. */
const MAX_PENDING = 4096;

/**
 * Joins an event's main line with its continuation lines (`argc`, `arg`, `x`), which bpftrace
 * prints right after it from the same thread. Lines of other threads may come in between, so
 * pending events are keyed by tid. A new event on a tid releases that tid's previous one as is.
 *
 * @example
 * const assembler = new EventAssembler();
 * for (const line of lines) for (const event of assembler.push(parseLine(line))) handle(event);
 */
export class EventAssembler {
  /** Continuation lines that matched no pending event. */
  orphans = 0;
  private readonly pending = new Map<number, Pending>();

  push(line: ParsedLine): RawEvent[] {
    if (line.type === 'event') {
      const out = this.release(line.event.tid);
      const extras = EXTRAS.get(line.event.kind) ?? [];
      if (line.event.kind !== 'exec' && extras.length === 0) {
        return [...out, line.event];
      }
      this.pending.set(line.event.tid, { event: line.event, extrasLeft: new Set(extras) });
      return [...out, ...this.trim()];
    }
    if (line.type !== 'argc' && line.type !== 'arg' && line.type !== 'extra') {
      return [];
    }
    const entry = this.pending.get(line.tid);
    if (!entry || !this.apply(entry, line)) {
      this.orphans++;
      return [];
    }
    return this.isComplete(entry) ? this.release(line.tid) : [];
  }

  /** Releases everything still pending, e.g. when the source stops. */
  flush(): RawEvent[] {
    const out = [...this.pending.values()].map((p) => p.event);
    this.pending.clear();
    return out;
  }

  private apply(entry: Pending, line: ParsedLine): boolean {
    const event = entry.event;
    if (line.type === 'argc' && event.kind === 'exec') {
      entry.argsLeft = line.count;
      event.argvTruncated = line.truncated;
      return true;
    }
    if (line.type === 'arg' && event.kind === 'exec' && entry.argsLeft !== undefined) {
      event.argv[line.index] = line.value;
      entry.argsLeft--;
      return true;
    }
    if (line.type === 'extra' && entry.extrasLeft.delete(line.field)) {
      (event as unknown as Record<string, unknown>)[line.field] = line.value;
      return true;
    }
    return false;
  }

  private isComplete(entry: Pending): boolean {
    const argsDone = entry.event.kind !== 'exec' || entry.argsLeft === 0;
    return argsDone && entry.extrasLeft.size === 0;
  }

  private release(tid: number): RawEvent[] {
    const entry = this.pending.get(tid);
    if (!entry) {
      return [];
    }
    this.pending.delete(tid);
    return [entry.event];
  }

  private trim(): RawEvent[] {
    const out: RawEvent[] = [];
    for (const tid of this.pending.keys()) {
      if (this.pending.size <= MAX_PENDING) {
        break;
      }
      out.push(...this.release(tid));
    }
    return out;
  }
}
