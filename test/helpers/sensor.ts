import { spawnSync, type ChildProcess } from 'node:child_process';

/**
 * Why a suite that needs the eBPF sensor cannot run here: bpftrace cannot attach, or Docker
 * lacks `image`. Undefined when it can run.
 */
export function sensorSkipReason(image: string): string | undefined {
  const attach = spawnSync('bpftrace', ['-e', 'BEGIN { exit(); }'], { encoding: 'utf8' });
  if (attach.error || attach.status !== 0) {
    const detail = attach.error?.message ?? attach.stderr.trim().split('\n').pop();
    return `bpftrace cannot attach here: ${detail}`;
  }
  const found = spawnSync('docker', ['image', 'inspect', image], { encoding: 'utf8' });
  return found.status === 0 ? undefined : `docker or the image ${image} is unavailable`;
}

/** Resolves when `text` appears on the child's stderr, or after `ms` regardless. */
export function waitForStderr(child: ChildProcess, text: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
