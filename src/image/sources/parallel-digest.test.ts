import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parallelVerifiedStream } from './parallel-digest.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bulkhead-parallel-digest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function drain(stream: NodeJS.ReadableStream): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).length;
  }
  return bytes;
}

describe('image/sources/parallel-digest', () => {
  const prefix = randomBytes(1000);
  const body = randomBytes(20 * 1024 * 1024);
  const file = path.join(dir, 'blob');
  writeFileSync(file, Buffer.concat([prefix, body]));
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  const extent = { file, start: prefix.length, length: body.length };
  const open = () =>
    createReadStream(file, { start: extent.start, end: extent.start + extent.length - 1 });

  it('passes every byte through when the digest matches', async () => {
    const bytes = await drain(parallelVerifiedStream(open(), extent, digest, 'blob'));

    expect(bytes).toBe(body.length);
  });

  it.each([
    [
      'a digest that does not match',
      `sha256:${'0'.repeat(64)}`,
      extent,
      /does not match its digest/,
    ],
    [
      'a blob shorter than declared',
      digest,
      { ...extent, length: body.length + 10 },
      /descriptor says/,
    ],
  ])('fails with image-corrupt on %s', async (_name, wanted, range, message) => {
    const stream = parallelVerifiedStream(open(), range, wanted, 'blob');

    await expect(drain(stream)).rejects.toMatchObject({
      code: 'image-corrupt',
      message: expect.stringMatching(message),
    });
  });
});
