import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { noProgress } from '../core/progress.js';
import { openImage } from './open.js';
import { sha256, writeOciLayout } from './testing/fixtures.js';
import { tinyAnalyzer } from './testing/tiny-analyzer.js';
import { walkImage } from './walker.js';
import type { WalkLimits } from './walker-types.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bulkhead-limits-test-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function header(path: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  new Header({ path, size, type: 'File', mode: 0o644, uid: 0, gid: 0, mtime: new Date(0) }).encode(
    block,
    0,
  );
  return block;
}

/** 2 GiB of zeros in one file: gzip members of 16 MiB zeros concatenated, about 2 MB stored. */
function gzipBomb(): Buffer {
  const zeros = gzipSync(Buffer.alloc(16 * 1024 * 1024));
  return Buffer.concat([
    gzipSync(header('zeros', 2 * 1024 ** 3)),
    ...Array.from({ length: 128 }, () => zeros),
    gzipSync(Buffer.alloc(1024)),
  ]);
}

async function walkBlob(blob: Buffer, limits?: Partial<WalkLimits>) {
  const dir = await mkdtemp(join(work, 'oci-'));
  const layer = {
    blob,
    diffId: sha256('not verified for compressed layers'),
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
  };
  await writeOciLayout(dir, [{ layers: [layer] }]);
  const image = await openImage(`oci:${dir}`, {
    log: silentLogger,
    progress: noProgress,
    tempRoot: work,
  });
  try {
    return await walkImage(image, [tinyAnalyzer()], {
      log: silentLogger,
      progress: noProgress,
      ...(limits ? { limits } : {}),
    });
  } finally {
    await image.close();
  }
}

/** Runs `work` while sampling RSS; returns its result and the peak growth in MB. */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  gc();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growthMb: (peak - base) / 1e6 };
  } finally {
    clearInterval(timer);
  }
}

describe('image/walker limits', () => {
  it('streams a 2 GiB gzip bomb in bounded memory', async () => {
    const blob = gzipBomb();

    const { result, growthMb } = await peakRss(() => walkBlob(blob));

    expect(blob.length).toBeLessThan(3_000_000);
    expect(result.files.get('/zeros')).toMatchObject({ size: 2 * 1024 ** 3 });
    expect(result.stats.bytesRead).toBeGreaterThan(2 * 1024 ** 3);
    expect(growthMb).toBeLessThan(150);
  }, 60_000);

  it('stops a gzip bomb at the byte limit with image-too-large', async () => {
    const walk = walkBlob(gzipBomb(), { maxTotalBytes: 64 * 1024 * 1024 });

    await expect(walk).rejects.toMatchObject({
      code: 'image-too-large',
      message: expect.stringMatching(/layer 0 \(sha256:.*maxTotalBytes limit of 67108864/),
    });
  });

  it('counts 200,000 tiny files in one layer in bounded memory', async () => {
    const blocks: Buffer[] = [];
    for (let i = 0; i < 200_000; i += 1)
      blocks.push(header(`d${Math.floor(i / 1000)}/f${i % 1000}`, 0));
    blocks.push(Buffer.alloc(1024));
    const blob = gzipSync(Buffer.concat(blocks), { level: 1 });
    blocks.length = 0;

    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const { result, growthMb } = await peakRss(() => walkBlob(blob));
    gc();
    const perNode = (process.memoryUsage().heapUsed - heapBefore) / result.files.count;

    expect(result.files.count).toBe(200_200);
    expect(result.stats.entries).toBe(200_000);
    expect(growthMb).toBeLessThan(250);
    // The default maxEntries (500,000) assumes about 150 bytes a node.
    expect(perNode).toBeLessThan(200);
  }, 60_000);
});
