import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { engineEndpoint } from '../../image/sources/engine.js';
import { ContainerCache, HOST_CONTAINER, containerInfo, splitImage } from './containers.js';

const IMAGE = 'bulkhead-test/bookworm:minbase';
const NAME = 'bulkhead-enrich-test';
const run = promisify(execFile);
const hasImage = spawnSync('docker', ['image', 'inspect', IMAGE]).status === 0;

describe('runtime/enrich/containers', () => {
  it.each([
    ['bulkhead-test/bookworm:minbase', 'bulkhead-test/bookworm', 'minbase'],
    ['registry:5000/app:1.2', 'registry:5000/app', '1.2'],
    ['registry:5000/app', 'registry:5000/app', undefined],
    ['nginx@sha256:abcd', 'nginx', undefined],
    ['nginx:1@sha256:abcd', 'nginx', '1'],
  ])('splits %s', (image, repository, tag) => {
    expect(splitImage(image)).toEqual(tag === undefined ? { repository } : { repository, tag });
  });

  it('turns an inspect body into container fields', () => {
    const info = containerInfo({
      Id: 'f'.repeat(64),
      Name: '/web',
      Config: { Image: 'nginx:1', Labels: null },
      HostConfig: { Privileged: true },
      Mounts: [{ Source: '/data', Destination: '/srv', RW: false }],
    });

    expect(info).toMatchObject({
      id: 'f'.repeat(12),
      name: 'web',
      imageTag: '1',
      privileged: true,
    });
    expect(info.mounts).toEqual([{ source: '/data', dest: '/srv', rw: false }]);
  });

  it('gives host processes container.id host', async () => {
    const cache = new ContainerCache({ endpoint: engineEndpoint() });

    expect(await cache.lookup(undefined)).toBe(HOST_CONTAINER);
  });
});

describe.skipIf(!hasImage)('runtime/enrich/containers (docker)', () => {
  let id = '';

  beforeAll(async () => {
    spawnSync('docker', ['rm', '-f', NAME]);
    const started = await run('docker', [
      ...['run', '-d', '--rm', '--network', 'none', '--name', NAME, '--label', 'team=sec'],
      ...[IMAGE, 'sleep', '30'],
    ]);
    id = started.stdout.trim();
  }, 30_000);

  afterAll(async () => {
    await run('docker', ['rm', '-f', NAME]).catch(() => undefined);
  });

  it('inspects a running container once and caches it', async () => {
    const cache = new ContainerCache({ endpoint: engineEndpoint() });

    const first = await cache.lookup(id);
    const second = await cache.lookup(id);

    expect(first).toMatchObject({
      id: id.slice(0, 12),
      fullId: id,
      name: NAME,
      image: IMAGE,
      imageRepository: 'bulkhead-test/bookworm',
      imageTag: 'minbase',
      privileged: false,
      labels: { team: 'sec' },
    });
    expect(second).toBe(first);
  });

  it('returns a bare id for a container the engine does not know', async () => {
    const cache = new ContainerCache({ endpoint: engineEndpoint() });
    const unknown = '0'.repeat(64);

    expect(await cache.lookup(unknown)).toEqual({ id: '0'.repeat(12), fullId: unknown });
  });
});
