import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
