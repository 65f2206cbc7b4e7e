import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { noProgress } from '../../core/progress.js';
import { openImage } from '../open.js';
import { layerBlob, sha256, tarBytes, writeOciImage, writeOciLayout } from '../testing/fixtures.js';

const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const layer = layerBlob(tarBytes([{ path: 'etc/a', body: 'a' }]));
const options = () => ({ log: silentLogger, progress: noProgress, tempRoot: work });

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bulkhead-oci-test-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

/** Writes an index blob listing `manifests`; returns its descriptor. */
async function writeIndex(dir: string, manifests: Descriptor[], note = ''): Promise<Descriptor> {
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: INDEX,
      manifests,
      ...(note ? { annotations: { note } } : {}),
    }),
  );
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'blobs', 'sha256', sha256(body).slice(7)), body);
  return { mediaType: INDEX, digest: sha256(body), size: body.length };
}

async function writeTop(dir: string, manifests: Descriptor[]): Promise<void> {
  await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
}

describe('image/sources/oci-layout', () => {
  it('reads each nested index once: 50 references a level, 7 levels deep', async () => {
    const dir = await mkdtemp(join(work, 'fanout-'));
    const image = await writeOciImage(dir, { layers: [layer] });
    let child: Descriptor = { mediaType: MANIFEST, digest: image.digest, size: image.size };
    for (let level = 0; level < 6; level += 1) {
      child = await writeIndex(
        dir,
        Array.from({ length: 50 }, () => child),
      );
    }
    await writeTop(
      dir,
      Array.from({ length: 50 }, () => child),
    );
    const started = Date.now();

    const opened = await openImage(`oci:${dir}`, options());
    await opened.close();

    expect(opened.metadata.id).toBe(image.configDigest);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails with image-corrupt naming the layout past 10,000 descriptors', async () => {
    const dir = await mkdtemp(join(work, 'wide-'));
    const manifests = Array.from({ length: 100 }, (_, i) => ({
      mediaType: MANIFEST,
      digest: sha256(`m${i}`),
      size: 10,
    }));
    const nested: Descriptor[] = [];
    for (let i = 0; i < 101; i += 1) nested.push(await writeIndex(dir, manifests, `n${i}`));
    await writeTop(dir, nested);

    await expect(openImage(`oci:${dir}`, options())).rejects.toMatchObject({
      code: 'image-corrupt',
      message: `${dir}: its indexes list more than 10000 descriptors`,
    });
  });

  it('keeps every name of an index referenced under several names', async () => {
    const dir = await mkdtemp(join(work, 'names-'));
    const image = await writeOciImage(dir, { layers: [layer] });
    const nested = await writeIndex(dir, [
      { mediaType: MANIFEST, digest: image.digest, size: image.size },
    ]);
    await writeTop(dir, [
      { ...nested, annotations: { 'org.opencontainers.image.ref.name': 'one' } },
      { ...nested, annotations: { 'org.opencontainers.image.ref.name': 'two' } },
    ]);

    const one = await openImage(`oci:${dir}:one`, options());
    const two = await openImage(`oci:${dir}:two`, options());
    await one.close();
    await two.close();

    expect(one.metadata.repoTags).toEqual(['one', 'two']);
    expect(two.metadata.id).toBe(image.configDigest);
  });

  it.each([
    ['blobs', (outside: string) => join(outside, 'blobs'), 'image-corrupt'],
    ['blobs/sha256', (outside: string) => join(outside, 'blobs', 'sha256'), 'image-corrupt'],
    ['blobs', () => 'store/blobs', undefined],
  ])('follows a %s symlink only while it stays inside the layout', async (link, target, code) => {
    const outside = await mkdtemp(join(work, 'outside-'));
    const layout = await mkdtemp(join(work, 'layout-'));
    await writeOciLayout(outside, [{ layers: [layer] }]);
    await writeOciLayout(join(layout, 'store'), [{ layers: [layer] }]);
    await writeTop(layout, [await indexOf(outside)]);
    if (link === 'blobs/sha256') await mkdir(join(layout, 'blobs'));
    await symlink(target(outside), join(layout, link));

    const opening = openImage(`oci:${layout}`, options());

    if (code === undefined) {
      await (await opening).close();
    } else {
      await expect(opening).rejects.toMatchObject({
        code,
        message: expect.stringMatching(new RegExp(`^${layout}: .* is missing`)),
      });
    }
  });
});

async function indexOf(dir: string): Promise<Descriptor> {
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as {
    manifests: Descriptor[];
  };
  return index.manifests[0] as Descriptor;
}
