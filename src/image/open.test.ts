import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { noProgress } from '../core/progress.js';
import { openImage, parseReference } from './open.js';
import {
  dockerArchive,
  layerBlob,
  sha256,
  tarBytes,
  writeOciImage,
  writeOciLayout,
} from './testing/fixtures.js';
import { walkImage } from './walker.js';

const layerA = tarBytes([{ path: 'etc/a', body: 'a' }]);
const layerB = tarBytes([{ path: 'etc/b', body: 'b' }]);
const options = () => ({ log: silentLogger, progress: noProgress, tempRoot });

let work: string;
let tempRoot: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bulkhead-open-test-'));
  tempRoot = await mkdtemp(join(tmpdir(), 'bulkhead-open-temp-'));
});
afterEach(async () => {
  // Whatever happened, nothing is left in temp space.
  expect(await readdir(tempRoot)).toEqual([]);
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(tempRoot, { recursive: true, force: true });
});

async function file(name: string, data: Buffer): Promise<string> {
  const path = join(work, name);
  await writeFile(path, data);
  return path;
}

describe('image/open', () => {
  it.each([
    ['docker-archive:/x/img.tar', { kind: 'docker-archive', target: '/x/img.tar' }],
    [
      'docker-archive:/x/img.tar:debian:12',
      { kind: 'docker-archive', target: '/x/img.tar', name: 'debian:12' },
    ],
    ['oci:/tmp/x:minbase', { kind: 'oci-layout', target: '/tmp/x', name: 'minbase' }],
    ['oci-archive:/tmp/x.tar', { kind: 'oci-archive', target: '/tmp/x.tar' }],
    ['docker-daemon:debian:12', { kind: 'docker-engine', target: 'debian:12' }],
    ['docker:debian:12', { kind: 'docker-engine', target: 'debian:12' }],
    ['debian:12', { kind: 'sniff', target: 'debian:12' }],
  ])('parses %j', (reference, expected) => {
    expect(parseReference(reference)).toEqual(expected);
  });

  it('reads a legacy docker-archive, plain and gzip-compressed, and removes its temp space', async () => {
    const plain = await file(
      'plain.tar',
      dockerArchive([{ tags: ['app:1'], layers: [layerA, layerB] }]),
    );
    const gzipped = await file('packed.tar.gz', gzipSync(await readFile(plain)));

    const first = await openImage(plain, options());
    const second = await openImage(`docker-archive:${gzipped}`, options());
    const inTemp = await readdir(tempRoot);
    await first.close();
    await second.close();
    await second.close();

    expect(first.metadata).toMatchObject({
      source: 'docker-archive',
      repoTags: ['app:1'],
      os: 'linux',
      architecture: 'amd64',
    });
    expect(first.layers.map((layer) => [layer.diffId, layer.createdBy])).toEqual([
      [sha256(layerA), 'RUN step 0'],
      [sha256(layerB), 'RUN step 1'],
    ]);
    expect(second.metadata.layers).toEqual(first.metadata.layers);
    expect(inTemp).toHaveLength(1);
  });

  it('stops a compressed archive that inflates past the archive limit', async () => {
    const path = await file(
      'bomb.tar.gz',
      gzipSync(
        dockerArchive([
          { tags: ['a:1'], layers: [tarBytes([{ path: 'z', body: Buffer.alloc(1 << 20) }])] },
        ]),
      ),
    );

    await expect(openImage(path, { ...options(), maxArchiveBytes: 100_000 })).rejects.toMatchObject(
      { code: 'image-too-large', message: expect.stringContaining('bomb.tar.gz') },
    );
  });

  it('reads a Docker 25+ archive with blobs/sha256 paths', async () => {
    const config = Buffer.from(
      JSON.stringify({
        os: 'linux',
        architecture: 'arm64',
        rootfs: { type: 'layers', diff_ids: [sha256(layerA)] },
      }),
    );
    const members = [
      { path: 'oci-layout', body: '{"imageLayoutVersion":"1.0.0"}' },
      { path: 'index.json', body: '{"schemaVersion":2,"manifests":[]}' },
      { path: `blobs/sha256/${sha256(config).slice(7)}`, body: config },
      { path: `blobs/sha256/${sha256(layerA).slice(7)}`, body: layerA },
      {
        path: 'manifest.json',
        body: JSON.stringify([
          {
            Config: `blobs/sha256/${sha256(config).slice(7)}`,
            RepoTags: ['new:1'],
            Layers: [`blobs/sha256/${sha256(layerA).slice(7)}`],
            LayerSources: {
              [sha256(layerA)]: {
                mediaType: 'application/vnd.oci.image.layer.v1.tar',
                size: layerA.length,
              },
            },
          },
        ]),
      },
    ];
    const path = await file('docker25.tar', tarBytes(members));

    const image = await openImage(path, options());
    await image.close();

    expect(image.metadata).toMatchObject({
      source: 'docker-archive',
      id: sha256(config),
      architecture: 'arm64',
    });
    expect(image.layers[0]).toMatchObject({
      digest: sha256(layerA),
      mediaType: 'application/vnd.oci.image.layer.v1.tar',
      compression: 'none',
    });
  });

  it('picks an image of a multi-image archive by name, and lists them when ambiguous', async () => {
    const path = await file(
      'multi.tar',
      dockerArchive([
        { tags: ['one:1'], layers: [layerA], architecture: 'arm64' },
        { tags: ['two:2'], layers: [layerB], architecture: 's390x' },
      ]),
    );

    const two = await openImage(`docker-archive:${path}:two:2`, options());
    await two.close();
    const ambiguous = openImage(path, options());

    expect(two.metadata.repoTags).toEqual(['two:2']);
    await expect(ambiguous).rejects.toMatchObject({
      code: 'image-ambiguous',
      message: expect.stringMatching(/one:1 \[linux\/arm64\].*two:2 \[linux\/s390x\]/),
    });
  });

  it('picks from an OCI layout with a nested index by platform or host default', async () => {
    const dir = await mkdtemp(join(work, 'nested-'));
    const amd = await writeOciImage(dir, { layers: [layerBlob(layerA)], architecture: 'amd64' });
    const arm = await writeOciImage(dir, {
      layers: [layerBlob(layerB, true)],
      architecture: 'arm64',
    });
    const strip = ({ configDigest: _c, ...descriptor }: typeof amd) => descriptor;
    const nested = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [strip(amd), strip(arm)],
      }),
    );
    await writeFile(join(dir, 'blobs', 'sha256', sha256(nested).slice(7)), nested);
    await writeFile(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await writeFile(
      join(dir, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.index.v1+json',
            digest: sha256(nested),
            size: nested.length,
            annotations: { 'org.opencontainers.image.ref.name': 'multi' },
          },
        ],
      }),
    );

    const armImage = await openImage(`oci:${dir}:multi`, {
      ...options(),
      platform: 'linux/arm64/v8',
    });
    await armImage.close();
    const hostImage = await openImage(dir, options());
    await hostImage.close();

    expect(armImage.metadata).toMatchObject({
      architecture: 'arm64',
      repoTags: ['multi'],
      source: 'oci-layout',
    });
    expect(armImage.layers[0]?.compression).toBe('gzip');
    expect(hostImage.metadata.architecture).toBe('amd64');
  });

  it.each([
    [
      'random bytes',
      () => Buffer.from('not an archive at all, just text '.repeat(40)),
      'input-unrecognized',
      /random.bin is not a tar/,
    ],
    [
      'a tar without image files',
      () => tarBytes([{ path: 'hello.txt', body: 'hi' }]),
      'input-unrecognized',
      /neither manifest.json/,
    ],
    [
      'a truncated archive',
      () =>
        dockerArchive([
          { tags: ['a:1'], layers: [tarBytes([{ path: 'f', body: Buffer.alloc(8000) }])] },
        ]).subarray(0, 6000),
      'image-corrupt',
      /truncated/,
    ],
    [
      'a truncated gzip archive',
      () => gzipSync(dockerArchive([{ tags: ['a:1'], layers: [layerA] }])).subarray(0, 300),
      'image-corrupt',
      /damaged or truncated gzip/,
    ],
    [
      'a missing config',
      () =>
        dockerArchive(
          [{ tags: ['a:1'], layers: [layerA] }],
          [
            `${sha256(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layerA)] }, history: [{ created_by: 'ENV A=1', empty_layer: true }, { created_by: 'RUN step 0' }] }))).slice(7)}.json`,
          ],
        ),
      'image-corrupt',
      /image config [0-9a-f]{64}\.json is missing/,
    ],
    [
      'a missing layer',
      () =>
        dockerArchive(
          [{ tags: ['a:1'], layers: [layerA] }],
          [`${sha256(layerA).slice(7, 71)}/layer.tar`],
        ),
      'image-corrupt',
      /layer 0 blob .*layer.tar .* is missing/,
    ],
  ])('rejects %s', async (name, make, code, message) => {
    const path = await file(
      `${name.replace(/ /g, '-')}.bin`.replace('random-bytes', 'random'),
      make(),
    );

    await expect(openImage(path, options())).rejects.toMatchObject({
      code,
      message: expect.stringMatching(message),
    });
  });

  it('rejects a layer whose digest does not match, naming the layer', async () => {
    const dir = await mkdtemp(join(work, 'tampered-'));
    await writeOciLayout(dir, [{ layers: [layerBlob(layerA)] }]);
    await writeFile(join(dir, 'blobs', 'sha256', sha256(layerA).slice(7)), layerB);

    const image = await openImage(`oci:${dir}`, options());
    const walk = walkImage(image, [], { log: silentLogger, progress: noProgress });

    await expect(walk).rejects.toMatchObject({
      code: 'image-corrupt',
      message: expect.stringContaining(`layer 0 (${sha256(layerA)})`),
    });
    await image.close();
  });

  it('rejects a config that does not match its digest', async () => {
    const dir = await mkdtemp(join(work, 'badconfig-'));
    const descriptor = await writeOciImage(dir, { layers: [layerBlob(layerA)] });
    await writeFile(
      join(dir, 'blobs', 'sha256', descriptor.configDigest.slice(7)),
      '{"rootfs":{"type":"layers","diff_ids":[]}}',
    );
    await writeFile(join(dir, 'oci-layout'), '{}');
    await writeFile(
      join(dir, 'index.json'),
      JSON.stringify({
        manifests: [
          { digest: descriptor.digest, size: descriptor.size, mediaType: descriptor.mediaType },
        ],
      }),
    );

    await expect(openImage(dir, options())).rejects.toMatchObject({
      code: 'image-corrupt',
      message: expect.stringMatching(/image config .* does not match its digest/),
    });
  });

  it('reports missing inputs and an unreachable engine with a hint', async () => {
    await mkdir(join(work, 'plain-dir'), { recursive: true });

    await expect(openImage('./no/such/file.tar', options())).rejects.toMatchObject({
      code: 'input-not-found',
    });
    await expect(openImage(join(work, 'plain-dir'), options())).rejects.toMatchObject({
      code: 'input-unrecognized',
      hint: expect.stringContaining('bulkhead fs'),
    });
    await expect(
      openImage('docker:some/image:1', {
        ...options(),
        env: { DOCKER_HOST: `unix://${join(work, 'no.sock')}` },
      }),
    ).rejects.toMatchObject({
      code: 'engine-unreachable',
      hint: expect.stringContaining('start dockerd'),
    });
  });

  it.each([
    ['/dev/null', 'is a character device, not a regular file or directory'],
    ['docker-archive:/dev/null', 'is a character device, not a regular file or directory'],
    ['oci:/dev/null', 'is a character device, not a regular file or directory'],
    ['empty.tar', 'is empty'],
    ['docker-archive:empty.tar', 'is empty'],
  ])('describes %s as it is', async (reference, wording) => {
    const empty = await file('empty.tar', Buffer.alloc(0));
    const resolved = reference.replace('empty.tar', empty);
    const target = resolved.replace(/^[a-z-]+:/, '');

    await expect(openImage(resolved, options())).rejects.toMatchObject({
      code: 'input-unrecognized',
      message: `${target} ${wording}`,
    });
  });

  it.each([
    ['gzip', true],
    ['plain', false],
  ])(
    'checks a legacy %s layer against its diff id and names the layer on a mismatch',
    async (_name, gzip) => {
      const tar = tarBytes([{ path: 'etc/os-release', body: 'ID=debian\n' }]);
      const stored = gzip ? gzipSync(tar) : tar;
      const good = await file(
        `legacy-${_name}.tar`,
        dockerArchive([{ tags: ['a:1'], layers: [stored], diffIds: [sha256(tar)] }]),
      );
      const tampered = tarBytes([{ path: 'etc/os-release', body: 'ID=evil\n' }]);
      const bad = await file(
        `legacy-${_name}-bad.tar`,
        dockerArchive([
          {
            tags: ['a:1'],
            layers: [gzip ? gzipSync(tampered) : tampered],
            diffIds: [sha256(tar)],
          },
        ]),
      );

      const walk = async (path: string) => {
        const image = await openImage(path, options());
        try {
          return await walkImage(image, [], { log: silentLogger, progress: noProgress });
        } finally {
          await image.close();
        }
      };

      await expect(walk(good)).resolves.toMatchObject({ stats: { entries: 1 } });
      await expect(walk(bad)).rejects.toMatchObject({
        code: 'image-corrupt',
        message: expect.stringMatching(
          /^layer 0 \(\S+\) in .*legacy-\w+-bad\.tar.* does not match/,
        ),
      });
    },
  );
});
