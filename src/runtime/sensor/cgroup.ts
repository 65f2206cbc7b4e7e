import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Docker places a container's cgroup at `/docker/<id>` (cgroupfs driver) or
 * `/system.slice/docker-<id>.scope` (systemd driver), on cgroup v1 and v2 alike; the id is the
 * full 64-hex container id. Nested paths (Docker in Docker) keep the innermost id.
 */
const DOCKER_CGROUP = /(?:\/docker\/|\/docker-)([0-9a-f]{64})(?:\.scope)?(?=\/|$)/g;

/**
 * Extracts the Docker container id from one cgroup path.
 *
 * @example
 * containerIdFromCgroupPath('/system.slice/docker-ab12…(64 hex)….scope'); // 'ab12…'
 */
export function containerIdFromCgroupPath(path: string): string | undefined {
  let id: string | undefined;
  for (const match of path.matchAll(DOCKER_CGROUP)) {
    id = match[1];
  }
  return id;
}

/**
 * Extracts the container id from the text of `/proc/<pid>/cgroup`. Lines are
 * `hierarchy-id:controllers:path` (man 7 cgroups); the v2 line (`0::`) wins, then any v1 line.
 *
 * @example
 * containerIdFromProcCgroup('0::/docker/<64 hex>\n'); // '<64 hex>'
 */
export function containerIdFromProcCgroup(content: string): string | undefined {
  const paths = content
    .split('\n')
    .filter((line) => line.includes(':'))
    .map((line) => ({ v2: line.startsWith('0::'), path: line.split(':').slice(2).join(':') }));
  const ordered = [...paths.filter((p) => p.v2), ...paths.filter((p) => !p.v2)];
  for (const { path } of ordered) {
    const id = containerIdFromCgroupPath(path);
    if (id) {
      return id;
    }
  }
  return undefined;
}

/**
 * Finds where the cgroup v2 hierarchy is mounted (`/sys/fs/cgroup` on pure v2 hosts,
 * `/sys/fs/cgroup/unified` on hybrid ones) from the text of `/proc/self/mounts`.
 *
 * @example
 * cgroup2Root('cgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n'); // '/sys/fs/cgroup/unified'
 */
export function cgroup2Root(mounts: string): string | undefined {
  for (const line of mounts.split('\n')) {
    const [, target, type] = line.split(' ');
    if (type === 'cgroup2' && target) {
      return target;
    }
  }
  return undefined;
}

/**
 * Maps bpftrace's `cgroup` (the cgroup v2 id, which is the inode number of the cgroup's
 * directory) to a container id by scanning container directories under the v2 root. Unknown ids
 * trigger a rescan at most once per `minRescanMs`, since new containers appear over time.
 *
 * @example
 * const index = new CgroupIndex('/sys/fs/cgroup/unified');
 * await index.containerId(595n); // 'ee68dc…' or undefined for host processes
 */
export class CgroupIndex {
  private readonly byId = new Map<bigint, string>();
  private lastScan = 0;

  constructor(
    private readonly root: string,
    private readonly minRescanMs = 1000,
  ) {}

  async containerId(cgroupId: bigint): Promise<string | undefined> {
    const known = this.byId.get(cgroupId);
    if (known !== undefined || Date.now() - this.lastScan < this.minRescanMs) {
      return known;
    }
    await this.scan();
    return this.byId.get(cgroupId);
  }

  /** Walks the parent directories Docker uses; two levels are enough for both drivers. */
  async scan(): Promise<void> {
    this.lastScan = Date.now();
    for (const parent of ['docker', 'system.slice']) {
      const dir = join(this.root, parent);
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names) {
        const id = containerIdFromCgroupPath(`/${parent}/${name}`);
        const info = id
          ? await stat(join(dir, name), { bigint: true }).catch(() => undefined)
          : undefined;
        if (id && info?.isDirectory()) {
          this.byId.set(info.ino, id);
        }
      }
    }
  }
}

/**
 * Reads `/proc/<pid>/cgroup` and returns the container id, or undefined for host processes and
 * processes that have already exited.
 *
 * @example
 * await containerIdOfPid(4242); // '<64 hex>' when pid 4242 runs in a container
 */
export async function containerIdOfPid(pid: number, proc = '/proc'): Promise<string | undefined> {
  const content = await readFile(join(proc, String(pid), 'cgroup'), 'utf8').catch(() => '');
  return containerIdFromProcCgroup(content);
}
