import type { Logger } from '../../core/logger.js';
import type { ImageMetadata } from '../../inventory/types.js';
import type { ImageConfig, ImageLayer, OpenedImage } from '../types.js';
import type { BlobStore } from './blob-store.js';
import {
  checkLayerCount,
  compressionOf,
  createdByPerLayer,
  layerInfos,
  readConfig,
  readDocument,
} from './documents.js';
import { storeLayer, sniffCompression } from './layers.js';
import { DockerManifest } from './schemas.js';
import { selectCandidate, type Platform } from './select.js';

export interface ArchiveOpenOptions {
  reference: string;
  name?: string;
  platform?: string;
  source: ImageMetadata['source'];
  log: Logger;
  repoDigests?: string[];
  close(): Promise<void>;
}

type Entry = DockerManifest[number];

/**
 * Opens an image from a `docker save` archive. Two layouts exist, both listed by
 * `manifest.json` (moby image/tarexport):
 *
 * ```json
 * [{"Config":"91152fc2...json","RepoTags":["debian:12"],"Layers":["48f6c408.../layer.tar"]}]
 * [{"Config":"blobs/sha256/91152fc2...","RepoTags":["debian:12"],"Layers":["blobs/sha256/b515..."]}]
 * ```
 *
 * The first is the legacy layout (Docker < 25), the second Docker 25+'s OCI-style layout.
 *
 * @example
 * const image = await openDockerArchive(await tarStore(file), { reference: file, source: 'docker-archive', log, close });
 */
export async function openDockerArchive(
  store: BlobStore,
  options: ArchiveOpenOptions,
): Promise<OpenedImage> {
  const manifest = await readDocument(store, 'manifest.json', DockerManifest, 'manifest');
  const configs = new Map<Entry, ImageConfig>();
  const candidates = [];
  for (const entry of manifest) {
    candidates.push({
      entry,
      names: entry.RepoTags ?? [],
      platform: undefined as Platform | undefined,
    });
  }
  // Platforms live in the configs; read them only when there is a choice to make.
  if (candidates.length > 1) {
    for (const candidate of candidates) {
      const config = await readConfig(
        store,
        candidate.entry.Config,
        digestInPath(candidate.entry.Config),
      );
      configs.set(candidate.entry, config);
      candidate.platform = platformOf(config);
    }
  }
  const want: { name?: string; platform?: string } = {};
  if (options.name !== undefined) want.name = options.name;
  if (options.platform !== undefined) want.platform = options.platform;
  const chosen = selectCandidate(candidates, want, store.label).entry;

  const config =
    configs.get(chosen) ?? (await readConfig(store, chosen.Config, digestInPath(chosen.Config)));
  if (options.platform !== undefined && candidates.length === 1) {
    selectCandidate(
      [{ names: [], platform: platformOf(config) }],
      { platform: options.platform },
      store.label,
    );
  }
  checkLayerCount(store.label, config, chosen.Layers.length);
  const layers = await archiveLayers(store, chosen, config);
  const metadata: ImageMetadata = {
    reference: options.reference,
    source: options.source,
    repoTags: chosen.RepoTags ?? [],
    repoDigests: options.repoDigests ?? [],
    layers: layerInfos(layers),
  };
  const id = digestInPath(chosen.Config);
  if (id !== undefined) metadata.id = id;
  if (config.os !== undefined) metadata.os = config.os;
  if (config.architecture !== undefined) metadata.architecture = config.architecture;
  if (config.variant !== undefined) metadata.variant = config.variant;
  if (config.created !== undefined) metadata.created = config.created;
  options.log.debug(`opened ${options.source} ${store.label}: ${layers.length} layers`);
  return { metadata, config, layers, close: options.close };
}

async function archiveLayers(
  store: BlobStore,
  entry: Entry,
  config: ImageConfig,
): Promise<ImageLayer[]> {
  const createdBy = createdByPerLayer(config);
  const layers: ImageLayer[] = [];
  for (const [index, path] of entry.Layers.entries()) {
    const diffId = config.rootfs.diff_ids[index] ?? '';
    const blobDigest = digestInPath(path);
    const source = blobDigest === undefined ? undefined : entry.LayerSources?.[blobDigest];
    let compression = compressionOf(source?.mediaType);
    compression ??= sniffCompression(await store.head(path, 4));
    // Legacy `<id>/layer.tar` names carry no digest. Uncompressed, the blob digest is the diff id;
    // compressed, no digest of its bytes is recorded, so the walker checks the uncompressed tar
    // against the diff id instead (storeLayer sets `diffIdCheck`).
    const digest = blobDigest ?? (compression === 'none' ? diffId : undefined);
    const layer = await storeLayer(store, {
      index,
      path,
      digest,
      diffId,
      compression,
      ...(source?.mediaType === undefined ? {} : { mediaType: source.mediaType }),
      ...(createdBy[index] === undefined ? {} : { createdBy: createdBy[index] }),
    });
    layers.push(layer);
  }
  return layers;
}

/**
 * The digest a docker-archive path encodes: `blobs/sha256/<hex>` (Docker 25+) or the legacy
 * config name `<hex>.json`.
 *
 * @example
 * digestInPath('blobs/sha256/' + 'ab'.repeat(32)); // 'sha256:abab...'
 * digestInPath('48f6c408.../layer.tar'); // undefined
 */
export function digestInPath(path: string): string | undefined {
  const match =
    /(?:^|\/)(?:blobs\/(sha256|sha512)\/)?([a-f0-9]{64}|[a-f0-9]{128})(?:\.json)?$/.exec(path);
  if (match === null) {
    return undefined;
  }
  if (match[1] === undefined && !path.endsWith('.json')) {
    return undefined;
  }
  return `${match[1] ?? 'sha256'}:${match[2]}`;
}

/**
 * The platform an image config declares.
 *
 * @example
 * platformOf({ os: 'linux', architecture: 'arm64', variant: 'v8', rootfs }); // { os: 'linux', architecture: 'arm64', variant: 'v8' }
 */
export function platformOf(config: ImageConfig): Platform {
  const platform: Platform = {
    os: config.os ?? 'unknown',
    architecture: config.architecture ?? 'unknown',
  };
  if (config.variant !== undefined) platform.variant = config.variant;
  return platform;
}
