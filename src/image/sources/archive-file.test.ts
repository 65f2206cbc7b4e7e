import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { dockerArchive, tarBytes } from '../testing/fixtures.js';
import { archiveStore, inflationLimit, isTarHeader } from './archive-file.js';
import { createTempSpace } from './temp-space.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bulkhead-archive-test-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

function zstd(data: Buffer): Buffer {
  return execFileSync('zstd', ['-q', '-c', '-3'], { input: data, maxBuffer: 1 << 30 });
}

const COMPRESSORS: [string, (data: Buffer) => Buffer][] = [
  ['gzip', (data) => gzipSync(data)],
  ['zstd', zstd],
];

/** Runs archiveStore on `data` and reports the error and how much reached temp space. */
async function inflate(name: string, data: Buffer, maxBytes?: number) {
  const file = join(work, name);
  await writeFile(file, data);
  const temp = createTempSpace(work);
  try {
    const error = await archiveStore(file, temp, silentLogger, maxBytes).then(
      () => undefined,
      (err: unknown) => err,
    );
    const written = temp.path === undefined ? 0 : (await stat(join(temp.path, 'archive.tar'))).size;
    return { file, error, written };
  } finally {
    await temp.remove();
  }
}

describe('image/sources/archive-file', () => {
  it.each([
    ['a small archive', 8 * MiB, 64 * GiB, GiB],
    ['a large archive', 100 * MiB, 64 * GiB, 10_000 * MiB],
    ['an archive capped by the absolute limit', GiB, 64 * GiB, 64 * GiB],
    ['an archive with a low absolute limit', 8 * MiB, 100_000, 100_000],
  ])('limits the inflation of %s', (_name, compressed, maxBytes, expected) => {
    expect(inflationLimit(compressed, maxBytes)).toBe(expected);
  });

  it.each([
    ['a tar header', tarBytes([{ path: 'f', body: 'x' }]).subarray(0, 512), true],
    ['zeros', Buffer.alloc(512), false],
    ['random bytes', Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 31) % 256)), false],
    ['a short block', tarBytes([{ path: 'f' }]).subarray(0, 300), false],
  ])('tells whether %s is a tar header', (_name, block, expected) => {
    expect(isTarHeader(block)).toBe(expected);
  });

  it.each(COMPRESSORS)(
    'stops a %s stream of zeros after its first block, as no tar archive',
    async (kind, compress) => {
      const { file, error, written } = await inflate(
        `zeros.${kind}`,
        compress(Buffer.alloc(64 * MiB)),
      );

      expect(error).toMatchObject({
        code: 'input-unrecognized',
        message: `${file} is ${kind}-compressed but holds no tar archive`,
      });
      expect(written).toBe(0);
    },
  );

  it.each(COMPRESSORS)('rejects a %s stream shorter than one tar block', async (kind, compress) => {
    const { error } = await inflate(`short.${kind}`, compress(Buffer.from('hello')));

    expect(error).toMatchObject({ code: 'input-unrecognized' });
  });

  it.each(COMPRESSORS)(
    'stops a %s tar bomb at the limit, naming the file and the limit',
    async (kind, compress) => {
      const bomb = compress(
        dockerArchive([
          { tags: ['a:1'], layers: [tarBytes([{ path: 'z', body: Buffer.alloc(4 * MiB) }])] },
        ]),
      );

      const { file, error, written } = await inflate(`bomb.${kind}`, bomb, 1 * MiB);

      expect(error).toMatchObject({
        code: 'image-too-large',
        message: expect.stringContaining(`${file} inflates to more than 1048576 bytes`),
        hint: expect.not.stringMatching(/raise|--/),
      });
      expect(written).toBeLessThanOrEqual(1 * MiB);
    },
  );

  it.each(COMPRESSORS)('reads a %s-compressed archive', async (kind, compress) => {
    const archive = dockerArchive([{ tags: ['a:1'], layers: [tarBytes([{ path: 'f' }])] }]);
    const file = join(work, `ok.${kind}`);
    await writeFile(file, compress(archive));
    const temp = createTempSpace(work);

    const store = await archiveStore(file, temp, silentLogger);
    const size = await store.size('manifest.json');
    await temp.remove();

    expect(store.label).toBe(file);
    expect(size).toBeGreaterThan(0);
  });
});
