import { z } from 'zod';

import { isAppError } from '../../core/errors/index.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import type { RuntimeEvent } from '../../policy/falco/event.js';
import { call, readBody, type EngineEndpoint } from '../../image/sources/engine.js';

/** What bulkhead knows of one container: Falco's `container.*` fields. */
export type ContainerInfo = NonNullable<RuntimeEvent['container']> & { fullId: string };

/** The subset of `GET /containers/{id}/json` read here (Docker Engine API v1.41). */
export const ContainerInspect = z.object({
  Id: z.string(),
  Name: z.string().optional(),
  Config: z
    .object({
      Image: z.string().optional(),
      Labels: z.record(z.string(), z.string()).nullish(),
    })
    .optional(),
  HostConfig: z.object({ Privileged: z.boolean().optional() }).optional(),
  Mounts: z
    .array(z.object({ Source: z.string(), Destination: z.string(), RW: z.boolean() }))
    .nullish(),
});
export type ContainerInspect = z.infer<typeof ContainerInspect>;

/** What Falco reports for processes outside any container. */
export const HOST_CONTAINER: ContainerInfo = { id: 'host', fullId: 'host', name: 'host' };

/**
 * Splits an image reference into repository and tag, as Falco's `container.image.repository`
 * and `container.image.tag`: `registry:5000/app:1.2@sha256:…` → `registry:5000/app`, `1.2`.
 *
 * @example
 * splitImage('bulkhead-test/bookworm:minbase'); // { repository: 'bulkhead-test/bookworm', tag: 'minbase' }
 */
export function splitImage(image: string): { repository: string; tag?: string } {
  const name = image.split('@')[0] ?? image;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    return { repository: name.slice(0, colon), tag: name.slice(colon + 1) };
  }
  return { repository: name };
}

/**
 * Turns an inspect body into container fields.
 *
 * @example
 * containerInfo({ Id: 'ab12…', Name: '/web', Config: { Image: 'nginx:1' } }).name; // 'web'
 */
export function containerInfo(body: ContainerInspect): ContainerInfo {
  const image = body.Config?.Image;
  const split = image === undefined ? undefined : splitImage(image);
  return {
    id: body.Id.slice(0, 12),
    fullId: body.Id,
    name: (body.Name ?? '').replace(/^\//, ''),
    ...(image === undefined ? {} : { image }),
    ...(split ? { imageRepository: split.repository } : {}),
    ...(split?.tag === undefined ? {} : { imageTag: split.tag }),
    privileged: body.HostConfig?.Privileged ?? false,
    mounts: (body.Mounts ?? []).map((m) => ({ source: m.Source, dest: m.Destination, rw: m.RW })),
    labels: body.Config?.Labels ?? {},
  };
}

export interface ContainerCacheOptions {
  endpoint: EngineEndpoint;
  logger?: Logger;
  /** How long an id the engine does not know stays unknown before asking again. */
  negativeTtlMs?: number;
}

/**
 * Container metadata by id from the Docker engine, inspected once per container. Ids the
 * engine does not know (gone, or another runtime) are remembered briefly, and their events
 * get a container with only its id, as Falco shows containers it could not inspect.
 *
 * @example
 * const cache = new ContainerCache({ endpoint: engineEndpoint() });
 * (await cache.lookup('4f1c…')).imageRepository; // 'bulkhead-test/bookworm'
 */
export class ContainerCache {
  private readonly known = new Map<string, Promise<ContainerInfo | undefined>>();
  private readonly missing = new Map<string, number>();
  private readonly log: Logger;

  constructor(private readonly options: ContainerCacheOptions) {
    this.log = (options.logger ?? silentLogger).child('runtime');
  }

  /** `undefined` or `'host'` gives {@link HOST_CONTAINER}. */
  async lookup(id: string | undefined): Promise<ContainerInfo> {
    if (id === undefined || id === 'host') {
      return HOST_CONTAINER;
    }
    const bare: ContainerInfo = { id: id.slice(0, 12), fullId: id };
    const until = this.missing.get(id);
    if (until !== undefined && until > Date.now()) {
      return bare;
    }
    let pending = this.known.get(id);
    if (!pending) {
      pending = this.inspect(id);
      this.known.set(id, pending);
    }
    const info = await pending;
    if (info === undefined) {
      this.known.delete(id);
      this.missing.set(id, Date.now() + (this.options.negativeTtlMs ?? 5000));
    }
    return info ?? bare;
  }

  private async inspect(id: string): Promise<ContainerInfo | undefined> {
    try {
      const response = await call(this.options.endpoint, `/containers/${id}/json`, id);
      const body = ContainerInspect.parse(JSON.parse((await readBody(response)).toString('utf8')));
      return containerInfo(body);
    } catch (err) {
      // 404 arrives as image-not-found from the shared helper; either way the id stays bare.
      const quiet = isAppError(err) && err.code === 'image-not-found';
      if (!quiet) {
        this.log.debug(`inspect of container ${id} failed: ${String(err)}`);
      }
      return undefined;
    }
  }
}
