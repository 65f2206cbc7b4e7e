import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../core/logger.js';
import { noProgress } from '../core/progress.js';
import { openImage } from './open.js';
import { engineEndpoint, inspectImage } from './sources/engine.js';
import { tinyAnalyzer } from './testing/tiny-analyzer.js';
import { walkImage, walkDirectory } from './walker.js';
import type { WalkResult } from './walker-types.js';

const CACHE = process.env.BULKHEAD_TEST_CACHE ?? '/var/cache/bulkhead-test';
const ARCHIVE = join(CACHE, 'bookworm.tar');
const SOURCES = join(CACHE, 'image-sources');
const NAME = 'bulkhead-test/bookworm:minbase';
const haveArchive = existsSync(ARCHIVE);
const engineError = await inspectImage(engineEndpoint(), NAME).then(
  () => undefined,
  (err: Error) => err.message,
);

/** Makes the skopeo copies once; later runs reuse them. */
function skopeoCopies(): void {
  mkdirSync(SOURCES, { recursive: true });
  const copies: [string, string[]][] = [
    ['oci-gzip', ['oci:' + join(SOURCES, 'oci-gzip') + ':minbase']],
    [
      'oci-zstd',
      [
        '--dest-compress-format',
        'zstd',
        '--dest-compress',
        'oci:' + join(SOURCES, 'oci-zstd') + ':minbase',
      ],
    ],
    ['oci-gzip.tar', ['oci-archive:' + join(SOURCES, 'oci-gzip.tar') + ':minbase']],
  ];
  for (const [name, args] of copies) {
    if (!existsSync(join(SOURCES, name))) {
      execFileSync('skopeo', [
        'copy',
        '-q',
        ...args.slice(0, -1),
        `docker-archive:${ARCHIVE}`,
        args[args.length - 1] as string,
      ]);
    }
  }
}

/** What must not differ between sources: layers by diff id, file count, analyzer outputs. */
function summary(result: WalkResult, diffIds: string[]) {
  return {
    diffIds,
    count: result.files.count,
    entries: result.stats.entries,
    outputs: result.outputs.map((output) => ({
      analyzer: output.analyzerId,
      path: output.path,
      layer: output.layer?.diffId,
      os: output.os,
      packages: output.packageSets?.flatMap((set) =>
        set.packages.map((pkg) => `${pkg.name}=${pkg.version}@${pkg.layer?.index}`),
      ),
    })),
  };
}

let tempRoot: string;
beforeAll(async () => {
  tempRoot = await mkdtemp(join(tmpdir(), 'bulkhead-real-temp-'));
  if (haveArchive) skopeoCopies();
});
afterAll(async () => {
  await rm(tempRoot, { recursive: true, force: true });
});

async function walkRef(reference: string) {
  const image = await openImage(reference, { log: silentLogger, progress: noProgress, tempRoot });
  try {
    const result = await walkImage(image, [tinyAnalyzer()], {
      log: silentLogger,
      progress: noProgress,
    });
    return {
      result,
      image,
      summary: summary(
        result,
        image.layers.map((layer) => layer.diffId),
      ),
    };
  } finally {
    await image.close();
    expect(await readdir(tempRoot)).toEqual([]);
  }
}

describe.skipIf(!haveArchive)(
  `image/real-image (bookworm ${haveArchive ? '' : `skipped: ${ARCHIVE} is missing`})`,
  () => {
    let reference: Awaited<ReturnType<typeof walkRef>>;
    beforeAll(async () => {
      reference = await walkRef(`docker-archive:${ARCHIVE}`);
    });

    it('reads the docker-archive: os-release through its symlink, every dpkg package in layer 0', () => {
      const { result, summary: seen } = reference;

      expect(result.files.get('/etc/os-release')).toMatchObject({
        type: 'symlink',
        linkTarget: '../usr/lib/os-release',
      });
      expect(seen.outputs.map((output) => [output.path, output.os?.id])).toEqual([
        ['/etc/os-release', 'debian'],
        ['/var/lib/dpkg/status', undefined],
      ]);
      expect(seen.outputs[1]?.packages?.length).toBeGreaterThan(50);
      expect(seen.outputs[1]?.packages?.every((pkg) => pkg.endsWith('@0'))).toBe(true);
      expect(result.warnings).toEqual([]);
      expect(result.stats.bytesRead).toBe(reference.image.layers[0]?.size);
    });

    it.each(['oci-gzip', 'oci-zstd'])(
      'gives the same result from the skopeo OCI layout %s',
      async (name) => {
        const { summary: seen, image } = await walkRef(`oci:${join(SOURCES, name)}:minbase`);

        expect(seen).toEqual(reference.summary);
        expect(image.layers[0]?.compression).toBe(name === 'oci-gzip' ? 'gzip' : 'zstd');
      },
      30_000,
    );

    it('gives the same result from the skopeo OCI archive (sniffed)', async () => {
      const { summary: seen, image } = await walkRef(join(SOURCES, 'oci-gzip.tar'));

      expect(image.metadata.source).toBe('oci-archive');
      expect(seen).toEqual(reference.summary);
    });

    it.skipIf(engineError !== undefined)(
      `gives the same result from the engine${engineError ? ` (skipped: engine unreachable: ${engineError})` : ''}`,
      async () => {
        const { summary: seen, image } = await walkRef(NAME);

        expect(image.metadata).toMatchObject({ source: 'docker-engine', repoTags: [NAME] });
        expect(seen).toEqual(reference.summary);
      },
      60_000,
    );

    it.skipIf(engineError !== undefined)(
      'reads real whiteouts, an opaque directory and per-layer packages of a built image',
      async () => {
        const context = await mkdtemp(join(tmpdir(), 'bulkhead-build-'));
        writeFileSync(
          join(context, 'Dockerfile'),
          [
            `FROM ${NAME}`,
            "RUN mkdir -p /opt/data/sub && echo a > /opt/data/a && echo b > /opt/data/sub/b && printf 'Package: bulkhead-fake\\nStatus: install ok installed\\nVersion: 1.0\\nArchitecture: all\\n\\n' >> /var/lib/dpkg/status",
            "RUN rm -rf /usr/share/doc/apt /etc/debian_version /opt/data && mkdir -p /opt/data && echo c > /opt/data/c && printf 'Package: bulkhead-fake2\\nStatus: install ok installed\\nVersion: 2.0\\nArchitecture: all\\n\\n' >> /var/lib/dpkg/status",
          ].join('\n'),
        );
        execFileSync(
          'docker',
          ['build', '-q', '--network', 'none', '-t', 'bulkhead-test/walker:whiteouts', context],
          { stdio: 'ignore' },
        );
        await rm(context, { recursive: true, force: true });

        const { result } = await walkRef('docker-daemon:bulkhead-test/walker:whiteouts');
        const packages = result.outputs[1]?.packageSets?.[0]?.packages ?? [];

        expect(result.files.get('/etc/debian_version')).toBeUndefined();
        expect(result.files.get('/usr/share/doc/apt')).toBeUndefined();
        expect(result.files.get('/opt/data/a')).toBeUndefined();
        expect(result.files.get('/opt/data/sub')).toBeUndefined();
        expect(result.files.get('/opt/data/c')).toMatchObject({ type: 'file', layer: 2 });
        expect(result.warnings).toEqual([]);
        expect(packages.find((pkg) => pkg.name === 'bulkhead-fake')?.layer?.index).toBe(1);
        expect(packages.find((pkg) => pkg.name === 'bulkhead-fake2')?.layer?.index).toBe(2);
        expect(packages.find((pkg) => pkg.name === 'bash')?.layer?.index).toBe(0);
      },
      60_000,
    );

    it('gives the same outputs from the extracted root filesystem with walkDirectory', async () => {
      const root = await mkdtemp(join(tmpdir(), 'bulkhead-rootfs-'));
      try {
        execFileSync('tar', [
          '-xf',
          join(CACHE, 'bookworm-rootfs.tar'),
          '-C',
          root,
          '--no-same-owner',
        ]);

        const result = await walkDirectory(root, [tinyAnalyzer()], {
          log: silentLogger,
          progress: noProgress,
        });

        // A directory scan skips devices and FIFOs (debootstrap's /dev/null...), an image view keeps them.
        const devices = [...reference.result.files.entries()].filter(([, info]) =>
          ['char', 'block', 'fifo'].includes(info.type),
        );
        expect(devices.length).toBeGreaterThan(0);
        expect(result.files.count).toBe(reference.summary.count - devices.length);
        expect(result.stats.skippedEntries).toBe(devices.length);
        expect(summary(result, []).outputs).toEqual(
          reference.summary.outputs.map((output) => ({
            ...output,
            layer: undefined,
            packages: output.packages?.map((pkg) => pkg.replace(/@0$/, '@undefined')),
          })),
        );
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    }, 30_000);
  },
);
