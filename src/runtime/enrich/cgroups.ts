import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { CgroupIndex, containerIdFromProcCgroup } from '../sensor/cgroup.js';

/** The root cgroup's id: tasks in it are host processes. */
const ROOT_CGROUP = 1n;

/**
 * Which container a task runs in, by its cgroup v2 id. The first event of each cgroup reads
 * `/proc/<pid>/cgroup`, which is exact and cheap, and remembers the answer for the cgroup;
 * when the process has already exited it falls back to scanning the cgroup tree (without
 * remembering a miss, since the container's directory may appear later).
 *
 * @example
 * const resolver = new ContainerResolver('/sys/fs/cgroup');
 * await resolver.containerId(4242, 8812n); // '<64 hex>' or undefined on the host
 */
export class ContainerResolver {
  private readonly byCgroup = new Map<bigint, string | undefined>();
  private readonly index: CgroupIndex;

  constructor(
    cgroupRoot: string,
    private readonly proc = '/proc',
  ) {
    this.index = new CgroupIndex(cgroupRoot, 100);
  }

  async containerId(pid: number, cgroupId: bigint): Promise<string | undefined> {
    if (cgroupId === ROOT_CGROUP) {
      return undefined;
    }
    if (this.byCgroup.has(cgroupId)) {
      return this.byCgroup.get(cgroupId);
    }
    const content = await readFile(join(this.proc, String(pid), 'cgroup'), 'utf8').catch(
      () => undefined,
    );
    if (content !== undefined) {
      const id = containerIdFromProcCgroup(content);
      this.byCgroup.set(cgroupId, id);
      return id;
    }
    return this.index.containerId(cgroupId);
  }
}
