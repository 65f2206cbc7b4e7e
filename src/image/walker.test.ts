import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analyzer } from '../analyzers/types.js';
import { silentLogger } from '../core/logger.js';
import { noProgress } from '../core/progress.js';
import { openImage } from './open.js';
import {
  dockerArchive,
  layerBlob,
  tarBytes,
  writeOciLayout,
  type TarSpec,
} from './testing/fixtures.js';
import { tinyAnalyzer } from './testing/tiny-analyzer.js';
import { walkImage } from './walker.js';
import type { WalkLimits } from './walker-types.js';

const STATUS = (...names: string[]) =>
  names.map((name) => `Package: ${name}\nVersion: 1.0\nArchitecture: all\n`).join('\n');
const OS_RELEASE = 'ID=debian\nVERSION_ID="12"\n';

let work: string;
let tempRoot: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'bulkhead-walker-test-'));
  tempRoot = await mkdtemp(join(tmpdir(), 'bulkhead-walker-temp-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(tempRoot, { recursive: true, force: true });
});

/** Wraps layer tars in a docker-archive, opens and walks it, and checks temp space is gone. */
async function walkLayers(layers: TarSpec[][], limits?: Partial<WalkLimits>) {
  const file = join(work, `image-${Math.random().toString(36).slice(2)}.tar`);
  await writeFile(
    file,
    dockerArchive([{ tags: ['test:1'], layers: layers.map((specs) => tarBytes(specs)) }]),
  );
  const image = await openImage(file, { log: silentLogger, progress: noProgress, tempRoot });
  try {
    return await walkImage(image, [tinyAnalyzer()], {
      log: silentLogger,
      progress: noProgress,
      ...(limits ? { limits } : {}),
    });
  } finally {
    await image.close();
    expect(await readdir(tempRoot)).toEqual([]);
  }
}

/** An analyzer that matches nothing by `matches`, only its required paths. */
function required(paths = ['/var/lib/dpkg/status']): Analyzer {
  return { ...tinyAnalyzer(), id: 'req', matches: () => false, requiredPaths: paths };
}

async function walkWith(layers: TarSpec[][], analyzers: Analyzer[]) {
  const file = join(work, `image-${Math.random().toString(36).slice(2)}.tar`);
  await writeFile(
    file,
    dockerArchive([{ tags: ['test:1'], layers: layers.map((specs) => tarBytes(specs)) }]),
  );
  const image = await openImage(file, { log: silentLogger, progress: noProgress, tempRoot });
  try {
    return await walkImage(image, analyzers, { log: silentLogger, progress: noProgress });
  } finally {
    await image.close();
  }
}

async function walkOci(blobs: ReturnType<typeof layerBlob>[], limits?: Partial<WalkLimits>) {
  const dir = await mkdtemp(join(work, 'oci-'));
  await writeOciLayout(dir, [{ layers: blobs }]);
  const image = await openImage(`oci:${dir}`, {
    log: silentLogger,
    progress: noProgress,
    tempRoot,
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

describe('image/walker', () => {
  it('skips entries that climb out of the root, with a warning naming layer and entry', async () => {
    const result = await walkLayers([
      [
        { path: '../evil', body: 'x' },
        { path: '/../../etc/cron.d/x', body: 'x' },
        { path: '/abs/ok', body: 'x' },
        { path: './etc/passwd', body: 'root:x:0:0::/root:/bin/sh\n' },
      ],
    ]);

    expect(result.files.get('/abs/ok')).toMatchObject({ type: 'file' });
    expect(result.files.get('/etc/passwd')).toBeDefined();
    expect(result.files.count).toBe(4);
    expect(result.warnings.map((w) => w.code)).toEqual(['unsafe-path', 'unsafe-path']);
    expect(result.warnings[0]?.location).toMatch(/^layer 0 \(sha256:[0-9a-f]{64}\): \.\.\/evil$/);
    expect(result.stats.skippedEntries).toBe(2);
  });

  it('resolves a hostile os-release symlink inside the image root', async () => {
    const result = await walkLayers([
      [
        { path: 'etc/os-release', type: 'SymbolicLink', linkpath: '../../../../etc/shadow' },
        { path: 'etc/shadow', body: 'ID=inside\n' },
      ],
    ]);

    expect(result.outputs).toEqual([
      expect.objectContaining({
        path: '/etc/os-release',
        os: { path: '/etc/os-release', id: 'inside', versionId: undefined },
      }),
    ]);
  });

  it('skips a hard link out of the root and gives a safe hard link its target content', async () => {
    const result = await walkLayers([
      [
        { path: 'etc/passwd-link', type: 'Link', linkpath: '../../etc/passwd' },
        { path: 'usr/lib/os-release', body: OS_RELEASE },
        { path: 'etc/os-release', type: 'Link', linkpath: 'usr/lib/os-release' },
        { path: 'var/lib/dpkg/status.real', body: STATUS('bash') },
        { path: 'var/lib/dpkg/status', type: 'Link', linkpath: 'var/lib/dpkg/status.real' },
      ],
    ]);

    expect(result.files.get('/etc/passwd-link')).toBeUndefined();
    expect(result.warnings.map((w) => w.code)).toEqual(['unsafe-link']);
    expect(result.files.get('/etc/os-release')).toMatchObject({
      type: 'hardlink',
      linkTarget: '/usr/lib/os-release',
    });
    expect(
      result.outputs.map((o) => [o.path, o.os?.id ?? o.packageSets?.[0]?.packages[0]?.name]),
    ).toEqual([
      ['/etc/os-release', 'debian'],
      ['/var/lib/dpkg/status', 'bash'],
    ]);
  });

  it('applies whiteouts and opaque directories across layers', async () => {
    const result = await walkLayers([
      [
        { path: 'etc/debian_version', body: '12.8\n' },
        { path: 'opt/data/a', body: 'a' },
        { path: 'opt/data/sub/b', body: 'b' },
        { path: 'var/lib/dpkg/status', body: STATUS('base') },
      ],
      [
        { path: 'etc/.wh.debian_version' },
        { path: 'opt/data/c', body: 'c' },
        { path: 'opt/data/.wh..wh..opq' },
        { path: 'var/lib/dpkg/.wh.status' },
      ],
      [{ path: 'var/lib/dpkg/status', body: STATUS('base', 'extra') }],
    ]);

    const paths = [...result.files.entries()].map(([path]) => path);
    expect(paths).toEqual([
      '/etc',
      '/opt',
      '/opt/data',
      '/opt/data/c',
      '/var',
      '/var/lib',
      '/var/lib/dpkg',
      '/var/lib/dpkg/status',
    ]);
    expect(paths.some((path) => path.includes('.wh.'))).toBe(false);
    // The status was deleted in layer 1, so `base` is attributed to layer 2, where it reappeared.
    const packages = result.outputs[0]?.packageSets?.[0]?.packages.map((pkg) => [
      pkg.name,
      pkg.layer?.index,
    ]);
    expect(packages).toEqual([
      ['base', 2],
      ['extra', 2],
    ]);
  });

  it('attributes each package to the layer that installed it across rewrites', async () => {
    const result = await walkLayers([
      [{ path: 'var/lib/dpkg/status', body: STATUS('libc6', 'bash') }],
      [{ path: 'var/lib/dpkg/status', body: STATUS('libc6', 'bash', 'curl') }],
      [{ path: 'tmp/x', body: 'unrelated' }],
      [{ path: 'var/lib/dpkg/status', body: STATUS('libc6', 'curl', 'jq') }],
    ]);

    const output = result.outputs[0];
    expect(output?.layer?.index).toBe(3);
    expect(output?.layer?.createdBy).toBe('RUN step 3');
    expect(
      output?.packageSets?.[0]?.packages.map((pkg) => `${pkg.name}@${pkg.layer?.index}`),
    ).toEqual(['libc6@0', 'curl@1', 'jq@3']);
  });

  it('warns instead of reading a file larger than the analyzer accepts', async () => {
    const file = join(work, 'big.tar');
    await writeFile(
      file,
      dockerArchive([
        { tags: ['t:1'], layers: [tarBytes([{ path: 'var/lib/dpkg/status', body: STATUS('a') }])] },
      ]),
    );
    const image = await openImage(file, { log: silentLogger, progress: noProgress, tempRoot });

    const result = await walkImage(image, [tinyAnalyzer(10)], {
      log: silentLogger,
      progress: noProgress,
    });
    await image.close();

    expect(result.outputs).toEqual([]);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'file-too-large',
        location: expect.stringContaining('/var/lib/dpkg/status'),
      }),
    ]);
  });

  it('fails with image-corrupt on a truncated layer tar', async () => {
    const tar = tarBytes([{ path: 'big', body: Buffer.alloc(4096, 1) }], false).subarray(0, 2048);

    await expect(walkOci([layerBlob(tar)])).rejects.toMatchObject({
      code: 'image-corrupt',
      message: expect.stringMatching(/layer 0 .*Truncated/),
    });
  });

  it('fails with image-corrupt on a layer of random bytes', async () => {
    const random = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 251));

    await expect(walkOci([layerBlob(random)])).rejects.toMatchObject({
      code: 'image-corrupt',
      message: expect.stringMatching(/layer 0 .*is damaged/),
    });
  });

  it('fails with image-corrupt on a truncated gzip layer', async () => {
    const good = layerBlob(tarBytes([{ path: 'f', body: Buffer.alloc(100_000, 7) }]), true);
    const cut = { ...good, blob: good.blob.subarray(0, good.blob.length - 40) };

    await expect(walkOci([cut])).rejects.toMatchObject({
      code: 'image-corrupt',
      message: expect.stringContaining('layer 0'),
    });
  });

  it('treats a 1024-byte empty layer as empty', async () => {
    const result = await walkOci([
      layerBlob(Buffer.alloc(1024)),
      layerBlob(tarBytes([{ path: 'f', body: 'x' }])),
    ]);

    expect(result.files.count).toBe(1);
    expect(result.warnings).toEqual([]);
  });

  it('walks a path 10,000 components deep when the limits allow it', async () => {
    const deep = `${'d/'.repeat(10_000)}f`;

    const result = await walkLayers([[{ path: deep, body: 'x' }], [{ path: 'd/.wh..wh..opq' }]], {
      maxPathDepth: 20_000,
      maxPathLength: 100_000,
    });

    expect(result.files.count).toBe(1);
    expect(result.stats.entries).toBe(2);
    expect(result.warnings).toEqual([]);
  });

  it.each([
    ['deeper than maxPathDepth', `${'d/'.repeat(600)}f`, { paths: 3 }],
    ['longer than maxPathLength', `${'x'.repeat(250)}/`.repeat(20) + 'f', { paths: 3 }],
  ])('skips entries %s with one warning per layer, and walks on', async (_name, deep) => {
    const result = await walkLayers([
      [
        { path: deep, body: 'x' },
        { path: `${deep}-2`, body: 'x' },
        { path: 'etc/os-release', body: OS_RELEASE },
      ],
      [{ path: `${deep}-3`, body: 'x' }],
    ]);

    expect(result.files.get('/etc/os-release')).toMatchObject({ type: 'file' });
    expect(result.outputs.map((output) => output.path)).toEqual(['/etc/os-release']);
    expect(result.stats.skippedEntries).toBe(3);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: 'path-too-long',
        message: expect.stringMatching(/^layer 0 \(sha256:[0-9a-f]{64}\): 2 entries with a path/),
      }),
      expect.objectContaining({
        code: 'path-too-long',
        message: expect.stringMatching(/^layer 1 \(sha256:[0-9a-f]{64}\): 1 entry with a path/),
      }),
    ]);
  });

  it('walks 5,000 nested node_modules levels in bounded memory, skipping what no process can open', async () => {
    const packageJson: Analyzer = {
      id: 'pkg-json',
      group: 'language-packages',
      version: 1,
      maxFileSize: 1024,
      matches: (path) => path.endsWith('/package.json'),
      analyze: () => ({}),
    };
    const specs: TarSpec[] = [];
    let dir = '';
    for (let i = 0; i < 5000; i += 1) {
      dir += `node_modules/p${i}/`;
      specs.push({ path: `${dir}package.json`, body: '{}' });
    }
    const file = join(work, 'deep-npm.tar');
    await writeFile(file, dockerArchive([{ tags: ['deep:1'], layers: [tarBytes(specs)] }]));
    specs.length = 0;
    const image = await openImage(file, { log: silentLogger, progress: noProgress, tempRoot });

    const before = process.memoryUsage().rss;
    const result = await walkImage(image, [packageJson], {
      log: silentLogger,
      progress: noProgress,
    });
    const growthMb = (process.memoryUsage().rss - before) / 1e6;
    await image.close();

    expect(result.stats.entries).toBe(5000);
    // `node_modules/pN/` is 15 to 19 characters: about 240 levels fit in 4096.
    expect(result.stats.skippedEntries).toBeGreaterThan(4700);
    expect(result.warnings.map((warning) => warning.code)).toEqual(['path-too-long']);
    expect(result.warnings[0]?.message).not.toMatch(/raise|option|--/);
    expect(growthMb).toBeLessThan(150);
  }, 30_000);

  it.each([
    [
      'a hard link in a later layer than its target',
      [
        [{ path: 'data/st', body: STATUS('bash') }],
        [
          { path: 'x/hl', type: 'Link', linkpath: 'data/st' },
          { path: 'var/lib/dpkg/status', type: 'SymbolicLink', linkpath: '/x/hl' },
        ],
      ],
    ],
    [
      'a hard link in the same layer as its target',
      [
        [
          { path: 'data/st', body: STATUS('bash') },
          { path: 'x/hl', type: 'Link', linkpath: 'data/st' },
        ],
        [{ path: 'var/lib/dpkg/status', type: 'SymbolicLink', linkpath: '../../../x/hl' }],
      ],
    ],
    [
      'a hard link to a hard link',
      [
        [{ path: 'data/st', body: STATUS('bash') }],
        [{ path: 'x/hl', type: 'Link', linkpath: 'data/st' }],
        [
          { path: 'x/hl2', type: 'Link', linkpath: 'x/hl' },
          { path: 'var/lib/dpkg/status', type: 'SymbolicLink', linkpath: '/x/hl2' },
        ],
      ],
    ],
    [
      'a hard link whose target a later layer replaced',
      [
        [{ path: 'data/st', body: STATUS('bash') }],
        [
          { path: 'x/hl', type: 'Link', linkpath: 'data/st' },
          { path: 'var/lib/dpkg/status', type: 'SymbolicLink', linkpath: '/x/hl' },
        ],
        [{ path: 'data/st', body: STATUS('other') }],
      ],
    ],
  ] as [string, TarSpec[][]][])(
    'reads a symlink to %s from the layer holding the bytes',
    async (_name, layers) => {
      const result = await walkLayers(layers);

      expect(result.warnings).toEqual([]);
      expect(
        result.outputs.map((o) => [o.path, o.packageSets?.[0]?.packages.map((p) => p.name)]),
      ).toEqual([['/var/lib/dpkg/status', ['bash']]]);
      expect(result.outputs[0]?.layer?.index).toBe(0);
    },
  );

  it.each([
    [
      'an absolute directory symlink',
      [
        { path: 'var/lib', type: 'SymbolicLink', linkpath: '/opt/lib' },
        { path: 'opt/lib/dpkg/status', body: STATUS('bash') },
      ],
    ],
    [
      'a relative symlink higher up',
      [
        { path: 'var', type: 'SymbolicLink', linkpath: 'opt' },
        { path: 'opt/lib/dpkg/status', body: STATUS('bash') },
      ],
    ],
    [
      'a chain of symlinks climbing past the root',
      [
        { path: 'var/lib', type: 'SymbolicLink', linkpath: '../../../../srv/l' },
        { path: 'srv/l/dpkg', type: 'SymbolicLink', linkpath: '/data/dpkg' },
        { path: 'data/dpkg/status-real', body: STATUS('bash') },
        { path: 'data/dpkg/status', type: 'Link', linkpath: 'data/dpkg/status-real' },
      ],
    ],
    ['the file itself', [{ path: 'var/lib/dpkg/status', body: STATUS('bash') }]],
  ] as [string, TarSpec[]][])(
    'gives an analyzer its required path reached through %s',
    async (_name, specs) => {
      const result = await walkWith([[{ path: 'opt/', type: 'Directory' }], specs], [required()]);

      expect(result.warnings).toEqual([]);
      expect(
        result.outputs.map((o) => [
          o.analyzerId,
          o.path,
          o.layer?.index,
          o.packageSets?.[0]?.path,
          o.packageSets?.[0]?.packages.map((p) => `${p.name}@${p.layer?.index}`),
        ]),
      ).toEqual([['req', '/var/lib/dpkg/status', 1, '/var/lib/dpkg/status', ['bash@1']]]);
    },
  );

  it('leaves a required path alone when it resolves to nothing, a directory or a loop', async () => {
    const result = await walkWith(
      [
        [
          { path: 'var/lib', type: 'SymbolicLink', linkpath: '/missing' },
          { path: 'etc/os-release/', type: 'Directory' },
        ],
      ],
      [required(['/var/lib/dpkg/status', '/etc/os-release', '/loop/x'])],
    );
    const looped = await walkWith(
      [[{ path: 'loop', type: 'SymbolicLink', linkpath: '/loop' }]],
      [required(['/loop/x'])],
    );

    expect(result.outputs).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(looped.outputs).toEqual([]);
    expect(looped.warnings.map((w) => w.code)).toEqual(['symlink-loop']);
  });

  it('fails with image-too-large past the entry limit', async () => {
    const specs = Array.from({ length: 50 }, (_, i) => ({ path: `f${i}`, body: '' }));

    await expect(walkLayers([specs], { maxEntries: 10 })).rejects.toMatchObject({
      code: 'image-too-large',
      message: expect.stringMatching(/maxEntries limit of 10/),
      hint: expect.not.stringMatching(/raise/),
    });
  });
});
