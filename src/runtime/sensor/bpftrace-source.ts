import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { AppError } from '../../core/errors/index.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { BoundedQueue } from './bounded-queue.js';
import { EventAssembler } from './event-assembler.js';
import { parseLine } from './parse-line.js';
import { preflight, tracepointExists } from './preflight.js';
import { STRLEN, buildProbeScript } from './probe-script.js';
import type { EventKind, RawEvent } from './raw-event.js';

export interface SensorStats {
  /** Events handed to the queue. */
  events: number;
  /** Events dropped because the queue was full. */
  drops: number;
  parseErrors: number;
  /** Events the kernel dropped before bpftrace read them ("Lost N events"). */
  lost: number;
  /** Continuation lines (argv, second paths) whose event was not found. */
  orphans: number;
  restarts: number;
}

export interface BpftraceSourceOptions {
  kinds: readonly EventKind[];
  watchedPaths?: readonly string[];
  /** Queue capacity; events beyond it are dropped and counted. Default 10,000. */
  queueCapacity?: number;
  logger?: Logger;
  bpftrace?: string;
  /** Delay before the first restart, doubled per consecutive failure up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  startTimeoutMs?: number;
  /** Runs this instead of bpftrace and skips the preflight checks; for tests. */
  command?: { file: string; args: (scriptPath: string) => string[] };
}

export interface BpftraceSource {
  readonly id: 'bpftrace';
  /** Resolves once bpftrace has attached every probe (its `ready` line); rejects with an AppError otherwise. */
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly events: AsyncIterable<RawEvent>;
  stats(): SensorStats;
}

/** A child that lived this long counts as healthy, and the backoff starts over. */
const HEALTHY_MS = 30_000;

/**
 * Runs the generated bpftrace program and streams its events, restarting bpftrace with
 * exponential backoff whenever it dies after a successful start.
 *
 * @example
 * const source = createBpftraceSource({ kinds: ['exec', 'open'] });
 * await source.start();
 * for await (const event of source.events) if (event.kind === 'open') log.info(event.path);
 */
export function createBpftraceSource(options: BpftraceSourceOptions): BpftraceSource {
  const log = (options.logger ?? silentLogger).child('runtime');
  const queue = new BoundedQueue<RawEvent>(options.queueCapacity ?? 10_000);
  const assembler = new EventAssembler();
  const counts = { events: 0, parseErrors: 0, lost: 0, restarts: 0 };
  let child: ChildProcess | undefined;
  let dir: string | undefined;
  let stopping = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  function deliver(events: RawEvent[]): void {
    for (const event of events) {
      counts.events++;
      queue.push(event);
    }
  }

  function launch(scriptPath: string): Promise<void> {
    const file = options.command?.file ?? options.bpftrace ?? 'bpftrace';
    // -B none: a pipe would otherwise be block-buffered and hold events back by kilobytes.
    const args = options.command?.args(scriptPath) ?? ['-B', 'none', scriptPath];
    const started = Date.now();
    const stderr: string[] = [];
    const proc = spawn(file, args, {
      env: { ...process.env, BPFTRACE_STRLEN: String(STRLEN) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;

    return new Promise<void>((resolve, reject) => {
      let attached = false;
      const deadline = setTimeout(() => proc.kill('SIGKILL'), options.startTimeoutMs ?? 30_000);
      createInterface({ input: proc.stdout }).on('line', (line) => {
        const parsed = parseLine(line);
        if (!attached && parsed.type === 'ready') {
          attached = true;
          clearTimeout(deadline);
          resolve();
        }
        if (parsed.type === 'lost') {
          counts.lost += parsed.count;
        }
        if (parsed.type === 'error') {
          counts.parseErrors++;
          log.debug(`unparsed bpftrace line (${parsed.reason}): ${line.slice(0, 200)}`);
        }
        const orphans = assembler.orphans;
        deliver(assembler.push(parsed));
        if (assembler.orphans !== orphans) {
          log.debug(`continuation line without its event: ${line.slice(0, 120)}`);
        }
      });
      createInterface({ input: proc.stderr }).on('line', (line) => {
        stderr.push(line);
        stderr.splice(0, stderr.length - 20);
      });
      proc.on('error', (err) => stderr.push(`ERROR: ${err.message}`));
      proc.on('close', (code, signal) => {
        clearTimeout(deadline);
        child = undefined;
        if (!attached) {
          reject(startError(stderr, code, signal));
        }
        if (attached && !stopping) {
          log.warn({ code, signal, stderr: stderr.slice(-3) }, 'bpftrace exited');
          failures = Date.now() - started > HEALTHY_MS ? 0 : failures;
          scheduleRestart(scriptPath);
        }
      });
    });
  }

  function scheduleRestart(scriptPath: string): void {
    const initial = options.initialBackoffMs ?? 500;
    const delay = Math.min(initial * 2 ** failures, options.maxBackoffMs ?? 30_000);
    failures++;
    timer = setTimeout(() => {
      if (stopping) {
        return;
      }
      counts.restarts++;
      launch(scriptPath).catch((err: unknown) => {
        log.warn({ err, attempt: failures }, 'bpftrace restart failed');
        if (!stopping) {
          scheduleRestart(scriptPath);
        }
      });
    }, delay);
  }

  return {
    id: 'bpftrace',
    events: queue,
    stats: () => ({ ...counts, drops: queue.drops, orphans: assembler.orphans }),

    async start() {
      const hasTracepoint = options.command
        ? undefined
        : tracepointExists(preflight({ bpftrace: options.bpftrace }).tracefs);
      const script = buildProbeScript({
        kinds: options.kinds,
        watchedPaths: options.watchedPaths,
        hasTracepoint,
      });
      dir = await mkdtemp(join(tmpdir(), 'bulkhead-sensor-'));
      const scriptPath = join(dir, 'sensor.bt');
      await writeFile(scriptPath, script);
      log.debug(`starting bpftrace with ${scriptPath}`);
      try {
        await launch(scriptPath);
      } catch (err) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    },

    async stop() {
      stopping = true;
      clearTimeout(timer);
      const proc = child;
      if (proc && proc.exitCode === null) {
        const closed = new Promise((resolve) => proc.once('close', resolve));
        proc.kill('SIGINT');
        const force = setTimeout(() => proc.kill('SIGKILL'), 5000);
        await closed;
        clearTimeout(force);
      }
      deliver(assembler.flush());
      queue.close();
      if (dir) {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Turns the last stderr lines of a child that never attached into a one-line AppError. */
function startError(stderr: string[], code: number | null, signal: string | null): AppError {
  const reason =
    stderr.find((line) => /^(error|ERROR):/.test(line) && !line.includes('RLIMIT_MEMLOCK')) ??
    stderr.find((line) => line.trim() !== '') ??
    `exit ${code ?? signal ?? 'unknown'}`;
  if (/permission|not permitted/i.test(reason)) {
    return new AppError('sensor-unavailable', `bpftrace may not load programs: ${reason}`, {
      hint: 'run as root, or grant CAP_BPF, CAP_PERFMON and CAP_SYS_RESOURCE',
    });
  }
  return new AppError('sensor-failed', `bpftrace did not attach: ${reason}`, {
    hint: 'run bpftrace -d on the generated script (buildProbeScript) to see the full error',
  });
}
