import { AppError } from '../../core/errors/index.js';
import type { ImageMetadata } from '../../inventory/types.js';
import type { ImageLayer, OpenedImage } from '../types.js';
import type { BlobStore } from './blob-store.js';
import { platformOf, type ArchiveOpenOptions } from './docker-archive.js';
import {
  checkLayerCount,
  compressionOf,
  createdByPerLayer,
  layerInfos,
  readConfig,
  readDocument,
} from './documents.js';
import { isDigest } from './digest.js';
import { storeLayer } from './layers.js';
import { MEDIA_TYPES, OciIndex, OciManifest, type OciDescriptor } from './schemas.js';
import { selectCandidate, type Platform } from './select.js';

const REF_NAME = 'org.opencontainers.image.ref.name';
const CONTAINERD_NAME = 'io.containerd.image.name';
/** Nested indexes deeper than this are hostile, not real. */
const MAX_INDEX_DEPTH = 8;
/**
 * Descriptors listed over all indexes visited. A real layout lists a few dozen; an index that
 * references another 50 times, seven levels deep, would otherwise fan out to 50^7.
 */
const MAX_DESCRIPTORS = 10_000;

interface ManifestCandidate {
  descriptor: OciDescriptor;
  names: string[];
  platform?: Platform;
}

/**
 * Opens an image from an OCI image layout (image-spec image-layout.md) held in a directory or
 * a tar. `index.json` lists manifests, possibly through nested indexes; blobs live at
 * `blobs/<alg>/<encoded>`:
 *
 * ```json
 * {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",
 *   "digest":"sha256:0722...","size":406,"annotations":{"org.opencontainers.image.ref.name":"minbase"}}]}
 * ```
 *
 * @example
 * const image = await openOciLayout(dirStore('/tmp/x'), { reference: 'oci:/tmp/x', source: 'oci-layout', log, close });
 */
export async function openOciLayout(
  store: BlobStore,
  options: ArchiveOpenOptions,
): Promise<OpenedImage> {
  if ((await store.size('oci-layout')) === undefined) {
    throw new AppError('image-corrupt', `${store.label}: the oci-layout file is missing`, {
      hint: 'an OCI image layout needs oci-layout and index.json at its top',
    });
  }
  const candidates = await listManifests(store);
  if (candidates.length > 1) {
    await fillPlatforms(store, candidates);
  }
  const want: { name?: string; platform?: string } = {};
  if (options.name !== undefined) want.name = options.name;
  if (options.platform !== undefined) want.platform = options.platform;
  const chosen = selectCandidate(candidates, want, store.label);

  const manifest = await readDocument(
    store,
    blobPath(store, chosen.descriptor.digest),
    OciManifest,
    'manifest',
    chosen.descriptor.digest,
  );
  const configDigest = manifest.config.digest;
  const config = await readConfig(store, blobPath(store, configDigest), configDigest);
  checkLayerCount(store.label, config, manifest.layers.length);

  const createdBy = createdByPerLayer(config);
  const layers: ImageLayer[] = [];
  for (const [index, descriptor] of manifest.layers.entries()) {
    const compression = compressionOf(descriptor.mediaType);
    layers.push(
      await storeLayer(store, {
        index,
        path: blobPath(store, descriptor.digest),
        digest: descriptor.digest,
        diffId: config.rootfs.diff_ids[index] ?? '',
        declaredSize: descriptor.size,
        ...(descriptor.mediaType === undefined ? {} : { mediaType: descriptor.mediaType }),
        ...(compression === undefined ? {} : { compression }),
        ...(createdBy[index] === undefined ? {} : { createdBy: createdBy[index] }),
      }),
    );
  }

  const metadata: ImageMetadata = {
    reference: options.reference,
    source: options.source,
    id: configDigest,
    repoTags: chosen.names,
    repoDigests: [],
    layers: layerInfos(layers),
  };
  if (config.os !== undefined) metadata.os = config.os;
  if (config.architecture !== undefined) metadata.architecture = config.architecture;
  if (config.variant !== undefined) metadata.variant = config.variant;
  if (config.created !== undefined) metadata.created = config.created;
  options.log.debug(`opened ${options.source} ${store.label}: ${layers.length} layers`);
  return { metadata, config, layers, close: options.close };
}

/** Manifests listed without a platform get it from their config, to choose between them. */
async function fillPlatforms(store: BlobStore, candidates: ManifestCandidate[]): Promise<void> {
  for (const candidate of candidates) {
    if (candidate.platform !== undefined) {
      continue;
    }
    const { digest } = candidate.descriptor;
    const manifest = await readDocument(
      store,
      blobPath(store, digest),
      OciManifest,
      'manifest',
      digest,
    );
    const config = await readConfig(
      store,
      blobPath(store, manifest.config.digest),
      manifest.config.digest,
    );
    candidate.platform = platformOf(config);
  }
}

/** `sha256:ab12...` → `blobs/sha256/ab12...` (image-layout.md "Blobs"). */
function blobPath(store: BlobStore, digest: string): string {
  if (!isDigest(digest)) {
    throw new AppError(
      'image-corrupt',
      `${store.label}: unsupported or malformed digest ${digest}`,
    );
  }
  return `blobs/${digest.replace(':', '/')}`;
}

/**
 * Flattens `index.json` and any nested indexes into image manifests, iteratively. A name from
 * an enclosing descriptor's annotations applies to everything beneath it; attestation
 * manifests (platform `unknown/unknown`) are not images and are left out.
 *
 * Each nested index is read once, and visited once per set of enclosing names (so two
 * references under different ref names both keep their name). Every descriptor listed counts
 * against MAX_DESCRIPTORS before it is queued, which bounds the queue, the reads and the time.
 */
async function listManifests(store: BlobStore): Promise<ManifestCandidate[]> {
  const top = await readDocument(store, 'index.json', OciIndex, 'index');
  const found: ManifestCandidate[] = [];
  const byDigest = new Map<string, ManifestCandidate>();
  const indexes = new Map<string, OciDescriptor[]>();
  const visited = new Set<string>();
  let listed = 0;
  const count = (more: number) => {
    listed += more;
    if (listed > MAX_DESCRIPTORS) {
      throw new AppError(
        'image-corrupt',
        `${store.label}: its indexes list more than ${MAX_DESCRIPTORS} descriptors`,
        {
          hint: 'the layout is damaged or hostile; a real image index lists a few dozen',
        },
      );
    }
  };
  count(top.manifests.length);
  const pending = top.manifests.map((descriptor) => ({
    descriptor,
    names: [] as string[],
    depth: 0,
  }));
  for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
    const { descriptor, names, depth } = next;
    const own = [descriptor.annotations?.[REF_NAME], descriptor.annotations?.[CONTAINERD_NAME]];
    const allNames = [...names, ...own.filter((name): name is string => name !== undefined)];
    if (
      descriptor.mediaType === MEDIA_TYPES.ociIndex ||
      descriptor.mediaType === MEDIA_TYPES.dockerList
    ) {
      if (depth >= MAX_INDEX_DEPTH) {
        throw new AppError(
          'image-corrupt',
          `${store.label}: indexes nest deeper than ${MAX_INDEX_DEPTH}`,
        );
      }
      const key = [descriptor.digest, ...allNames].join('\u0000');
      if (visited.has(key)) {
        continue;
      }
      visited.add(key);
      const children = indexes.get(descriptor.digest) ?? (await readIndex(store, descriptor));
      indexes.set(descriptor.digest, children);
      count(children.length);
      for (const child of children) {
        pending.push({ descriptor: child, names: allNames, depth: depth + 1 });
      }
      continue;
    }
    if (
      descriptor.platform?.os === 'unknown' ||
      descriptor.annotations?.['vnd.docker.reference.type'] !== undefined
    ) {
      continue;
    }
    // The same manifest reached twice (two names, or one index referenced twice) is one image.
    const same = byDigest.get(descriptor.digest);
    if (same !== undefined) {
      same.names.push(...allNames.filter((name) => !same.names.includes(name)));
      continue;
    }
    const candidate: ManifestCandidate = { descriptor, names: allNames };
    if (descriptor.platform !== undefined) {
      candidate.platform = descriptor.platform;
    }
    found.push(candidate);
    byDigest.set(descriptor.digest, candidate);
  }
  return found;
}

async function readIndex(store: BlobStore, descriptor: OciDescriptor): Promise<OciDescriptor[]> {
  const nested = await readDocument(
    store,
    blobPath(store, descriptor.digest),
    OciIndex,
    'index',
    descriptor.digest,
  );
  return nested.manifests;
}
