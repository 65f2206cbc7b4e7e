import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';

import { silentLogger, type Logger } from '../../core/logger.js';
import type { EngineEndpoint } from '../../image/sources/engine.js';
import type { Ruleset } from '../../policy/falco/ruleset.js';
import { ContainerResolver } from '../enrich/cgroups.js';
import { ContainerCache } from '../enrich/containers.js';
import {
  createBpftraceSource,
  type BpftraceSource,
  type BpftraceSourceOptions,
  type SensorStats,
} from '../sensor/bpftrace-source.js';
import { cgroup2Root } from '../sensor/cgroup.js';
import type { RawEvent } from '../sensor/raw-event.js';
import { toAlert, type Alert } from './alert.js';
import { readProcEntry } from './proc-reader.js';
import { kindsForRules, watchedPathsFor } from './rule-needs.js';
import { EventMapper } from './to-runtime-event.js';

export interface WatchOptions {
  ruleset: Ruleset;
  /** Texts of the loaded rules files; the sensor's open filter takes its paths from them. */
  ruleTexts: readonly string[];
  endpoint: EngineEndpoint;
  onAlert: (alert: Alert) => void;
  /** Called once the sensor has attached, with what it traces. */
  onReady?: (info: { kinds: readonly string[]; watchedPaths: readonly string[] }) => void;
  /** Stops the watch; the sensor is stopped and pending events are drained first. */
  signal: AbortSignal;
  logger?: Logger;
  /** Replaces the bpftrace source; for tests. */
  createSource?: (options: BpftraceSourceOptions) => BpftraceSource;
}

/** User names by uid from the host's `/etc/passwd` (name:x:uid:...). */
async function hostUsers(): Promise<Map<number, string>> {
  const text = await readFile('/etc/passwd', 'utf8').catch(() => '');
  const users = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid)) {
      users.set(Number(uid), name);
    }
  }
  return users;
}

/**
 * Runs the runtime pipeline: sensor → process table and container enrichment → rules →
 * alerts, until `signal` aborts. Resolves with the sensor's final counters; rejects with the
 * sensor's AppError when bpftrace cannot start.
 *
 * @example
 * const stats = await runWatch({ ruleset, ruleTexts, endpoint: engineEndpoint(),
 *   onAlert: (a) => write(alertJson(a)), signal: controller.signal });
 */
export async function runWatch(options: WatchOptions): Promise<SensorStats> {
  const log = (options.logger ?? silentLogger).child('runtime');
  const kinds = kindsForRules(options.ruleset);
  const watchedPaths = watchedPathsFor(options.ruleTexts);
  const source = (options.createSource ?? createBpftraceSource)({
    kinds,
    watchedPaths,
    logger: options.logger,
  });
  const mounts = await readFile('/proc/self/mounts', 'utf8').catch(() => '');
  const resolver = new ContainerResolver(cgroup2Root(mounts) ?? '/sys/fs/cgroup');
  const containers = new ContainerCache({ endpoint: options.endpoint, logger: options.logger });
  // bpftrace's nsecs and process.hrtime both read CLOCK_MONOTONIC on Linux.
  const clockOffsetNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
  const mapper = new EventMapper({ clockOffsetNs, users: await hostUsers() });
  const host = hostname();
  const unreadable = new Set<number>();

  /** Processes that started before the sensor are learned from /proc once. */
  async function learn(pid: number): Promise<void> {
    if (pid <= 0 || mapper.table.get(pid) || unreadable.has(pid)) {
      return;
    }
    const entry = await readProcEntry(pid);
    if (entry) {
      mapper.table.set(pid, entry);
    } else {
      unreadable.add(pid);
    }
  }

  async function handle(raw: RawEvent): Promise<void> {
    const containerId = await resolver.containerId(raw.pid, raw.cgroupId);
    const container = await containers.lookup(containerId);
    if (raw.kind === 'exec') {
      unreadable.delete(raw.pid);
    } else {
      await learn(raw.pid);
    }
    await learn(raw.ppid);
    const event = mapper.map(raw, container);
    for (const match of options.ruleset.evaluate(event)) {
      options.onAlert(toAlert(match, event.evt.time, host));
    }
  }

  if (options.signal.aborted) {
    return source.stats();
  }
  await source.start();
  const stopped = new Promise<void>((resolve) => {
    if (options.signal.aborted) {
      resolve(source.stop());
      return;
    }
    options.signal.addEventListener('abort', () => resolve(source.stop()), { once: true });
  });
  options.onReady?.({ kinds, watchedPaths });

  for await (const raw of source.events) {
    try {
      await handle(raw);
    } catch (err) {
      log.debug(`event ${raw.kind} of pid ${raw.pid} skipped: ${String(err)}`);
    }
  }
  // The queue ends when the source stops; a source that ends by itself is stopped here.
  if (!options.signal.aborted) {
    await source.stop();
  }
  await (options.signal.aborted ? stopped : undefined);
  return source.stats();
}
