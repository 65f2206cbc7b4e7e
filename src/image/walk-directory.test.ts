import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analyzer } from '../analyzers/types.js';
import { silentLogger } from '../core/logger.js';
import { noProgress } from '../core/progress.js';
import { tinyAnalyzer } from './testing/tiny-analyzer.js';
import { walkDirectory } from './walker.js';

let root: string;
let outside: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bulkhead-dir-test-'));
  outside = await mkdtemp(join(tmpdir(), 'bulkhead-dir-outside-'));
  await writeFile(join(outside, 'os-release'), 'ID=outside\n');
  await mkdir(join(root, 'etc'));
  await mkdir(join(root, 'var/lib/dpkg'), { recursive: true });
  await writeFile(join(root, 'etc/shadow'), 'ID=inside\n');
  await symlink('../../../../../../../etc/shadow', join(root, 'etc/os-release'));
  await symlink(outside, join(root, 'var/lib/dpkg-outside'));
  await symlink(join(outside, 'os-release'), join(root, 'var/lib/dpkg/status'));
  execFileSync('mkfifo', [join(root, 'etc/fifo')]);
  let deep = root;
  for (let i = 0; i < 300; i += 1) deep = join(deep, 'd');
  await mkdir(deep, { recursive: true });
  await writeFile(join(deep, 'f'), 'x');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('image/walker walkDirectory', () => {
  it('resolves symlinks inside DIR, never follows them out, skips FIFOs', async () => {
    const result = await walkDirectory(root, [tinyAnalyzer()], {
      log: silentLogger,
      progress: noProgress,
    });

    expect(result.outputs).toEqual([
      {
        analyzerId: 'tiny',
        path: '/etc/os-release',
        os: { path: '/etc/os-release', id: 'inside', versionId: undefined },
      },
    ]);
    expect(result.files.get('/var/lib/dpkg-outside')).toMatchObject({
      type: 'symlink',
      linkTarget: outside,
    });
    expect(result.files.get('/etc/fifo')).toBeUndefined();
    expect(result.stats.skippedEntries).toBe(1);
    expect(result.files.get(`/${'d/'.repeat(300)}f`)).toMatchObject({ type: 'file', size: 1 });
  });

  it('skips what lies past the path limits, with one warning', async () => {
    const result = await walkDirectory(root, [tinyAnalyzer()], {
      log: silentLogger,
      progress: noProgress,
      limits: { maxPathDepth: 100 },
    });

    expect(result.files.get(`/${'d/'.repeat(99)}d`)).toMatchObject({ type: 'dir' });
    expect(result.files.get(`/${'d/'.repeat(100)}d`)).toBeUndefined();
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'path-too-long',
        message: expect.stringMatching(/^directory: 1 entry with a path/),
      }),
    ]);
  });

  it('resolves required paths through directory symlinks, never out of DIR', async () => {
    const base = await mkdtemp(join(tmpdir(), 'bulkhead-dir-required-'));
    const rootfs = join(base, 'root');
    await mkdir(join(rootfs, 'opt/lib/dpkg'), { recursive: true });
    await mkdir(join(rootfs, 'var'));
    await mkdir(join(rootfs, 'usr'));
    await mkdir(join(base, 'escape/lib'), { recursive: true });
    await writeFile(join(rootfs, 'opt/lib/dpkg/status'), 'Package: bash\nVersion: 5.2\n');
    await writeFile(join(base, 'escape/lib/os-release'), 'ID=outside\n');
    // Absolute: on the host it would name /opt/lib; inside DIR it is DIR/opt/lib.
    await symlink('/opt/lib', join(rootfs, 'var/lib'));
    // On the host this climbs to base/escape/lib; inside DIR `..` stops at DIR.
    await symlink('../../escape/lib', join(rootfs, 'usr/lib'));
    const analyzer: Analyzer = {
      ...tinyAnalyzer(),
      id: 'req',
      matches: () => false,
      requiredPaths: ['/var/lib/dpkg/status', '/usr/lib/os-release'],
    };

    const result = await walkDirectory(rootfs, [analyzer], {
      log: silentLogger,
      progress: noProgress,
    });
    await rm(base, { recursive: true, force: true });

    expect(result.warnings).toEqual([]);
    expect(
      result.outputs.map((o) => [o.path, o.packageSets?.[0]?.packages.map((p) => p.name)]),
    ).toEqual([['/var/lib/dpkg/status', ['bash']]]);
  });
});
