import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempSpace, removeAllTempSpacesSync } from './temp-space.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bulkhead-temp-test-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('image/sources/temp-space', () => {
  it('removes every live temp space synchronously, and only those', async () => {
    const first = createTempSpace(root);
    const second = createTempSpace(root);
    const unused = createTempSpace(root);
    const removed = createTempSpace(root);
    await writeFile(await first.file('archive.tar'), 'x');
    await writeFile(await second.file('image.tar'), 'y');
    await removed.file('gone.tar');
    await removed.remove();
    const outsider = await mkdtemp(join(root, 'bulkhead-not-ours-'));

    removeAllTempSpacesSync();
    removeAllTempSpacesSync();

    expect(unused.path).toBeUndefined();
    expect(await readdir(root)).toEqual([outsider.slice(root.length + 1)]);
    await expect(first.remove()).resolves.toBeUndefined();
    expect((await stat(outsider)).isDirectory()).toBe(true);
  });

  it('forgets a temp space once removed', async () => {
    const temp = createTempSpace(root);
    const dir = dirname(await temp.file('a'));
    await temp.remove();
    // Someone else makes a directory by that name: it is not ours to delete any more.
    await mkdir(dir);

    removeAllTempSpacesSync();

    expect((await stat(dir)).isDirectory()).toBe(true);
  });
});
