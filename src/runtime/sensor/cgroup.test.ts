import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import {
  CgroupIndex,
  cgroup2Root,
  containerIdFromCgroupPath,
  containerIdFromProcCgroup,
} from './cgroup.js';

const ID = 'ee68dcfb16db13f526792e364bec2bfc794d560cf63a71ff7d471a7b70213bb0';
const OTHER = 'a'.repeat(64);

describe('runtime/sensor/cgroup', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it.each([
    ['cgroupfs driver', `/docker/${ID}`, ID],
    ['systemd driver', `/system.slice/docker-${ID}.scope`, ID],
    ['a child cgroup', `/docker/${ID}/init`, ID],
    ['docker in docker', `/docker/${OTHER}/docker/${ID}`, ID],
    ['host root', '/', undefined],
    ['a user session', '/user.slice/user-0.slice/session-1.scope', undefined],
    ['a short id', '/docker/ee68dcfb16db', undefined],
    ['a longer hex run', `/docker/${ID}ff`, undefined],
  ])('maps %s', (_name, path, expected) => {
    expect(containerIdFromCgroupPath(path)).toBe(expected);
  });

  it.each([
    [
      'cgroup v1 hybrid (captured here)',
      `9:name=systemd:/docker/${ID}\n4:memory:/docker/${ID}\n0::/docker/${ID}\n`,
      ID,
    ],
    ['cgroup v2 systemd', `0::/system.slice/docker-${ID}.scope\n`, ID],
    ['v1 only', `4:memory:/docker/${ID}\n1:cpu:/docker/${ID}\n`, ID],
    ['host process', '9:name=systemd:/\n0::/\n', undefined],
    ['empty', '', undefined],
  ])('reads /proc/<pid>/cgroup for %s', (_name, content, expected) => {
    expect(containerIdFromProcCgroup(content)).toBe(expected);
  });

  it('finds the cgroup2 mount on a hybrid host', () => {
    const mounts =
      'cgroup /sys/fs/cgroup/cpu cgroup rw 0 0\ncgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n';

    expect(cgroup2Root(mounts)).toBe('/sys/fs/cgroup/unified');
    expect(cgroup2Root('proc /proc proc rw 0 0\n')).toBeUndefined();
  });

  it('maps a directory inode (the cgroup id) to its container', async () => {
    const root = await mkdtemp(join(tmpdir(), 'bulkhead-cgroup-'));
    dirs.push(root);
    await mkdir(join(root, 'docker', ID), { recursive: true });
    await mkdir(join(root, 'system.slice', `docker-${OTHER}.scope`), { recursive: true });
    const inode = (
      await stat(join(root, 'system.slice', `docker-${OTHER}.scope`), { bigint: true })
    ).ino;
    const index = new CgroupIndex(root, 0);

    const found = await index.containerId(inode);
    const missing = await index.containerId(1n);

    expect(found).toBe(OTHER);
    expect(missing).toBeUndefined();
  });
});
