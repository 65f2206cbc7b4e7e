import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { AppError } from '../../core/errors/index.js';

/** Where tracefs may be mounted; the second is the legacy path inside debugfs. */
export const TRACEFS_CANDIDATES = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];

export interface PreflightOptions {
  bpftrace?: string;
  tracefsCandidates?: readonly string[];
  isRoot?: boolean;
}

export interface PreflightResult {
  version: string;
  tracefs: string;
}

/**
 * Checks that bpftrace can attach here, in the order a user would fix things: binary, privilege,
 * tracefs. Throws `sensor-unavailable` with a one-line message and a hint.
 *
 * @example
 * const { version, tracefs } = preflight(); // { version: 'bpftrace v0.17.0', tracefs: '/sys/kernel/tracing' }
 */
export function preflight(options: PreflightOptions = {}): PreflightResult {
  const bpftrace = options.bpftrace ?? 'bpftrace';
  const run = spawnSync(bpftrace, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (run.error || run.status !== 0) {
    throw new AppError('sensor-unavailable', `bpftrace cannot be run (${bpftrace})`, {
      hint: 'install bpftrace (apt-get install bpftrace) or pass its path',
      cause: run.error,
    });
  }

  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  if (!isRoot) {
    throw new AppError('sensor-unavailable', 'loading eBPF programs needs root', {
      hint: 'run as root, or grant CAP_BPF, CAP_PERFMON and CAP_SYS_RESOURCE',
    });
  }

  const tracefs = (options.tracefsCandidates ?? TRACEFS_CANDIDATES).find((dir) =>
    existsSync(join(dir, 'events')),
  );
  if (!tracefs) {
    throw new AppError('sensor-unavailable', 'tracefs is not mounted', {
      hint: 'mount it: mount -t tracefs nodev /sys/kernel/tracing',
    });
  }
  return { version: run.stdout.trim(), tracefs };
}

/**
 * Returns a predicate telling whether a tracepoint (`category:name`) exists under tracefs.
 *
 * @example
 * tracepointExists('/sys/kernel/tracing')('syscalls:sys_enter_finit_module'); // false without modules
 */
export function tracepointExists(tracefs: string): (tracepoint: string) => boolean {
  return (tracepoint) => existsSync(join(tracefs, 'events', ...tracepoint.split(':')));
}
