import type { z } from 'zod';
import { AppError } from '../../core/errors/index.js';
import type { LayerInfo } from '../../inventory/types.js';
import type { ImageConfig, ImageLayer, LayerCompression } from '../types.js';
import type { BlobStore } from './blob-store.js';
import { verifyBuffer } from './digest.js';
import { ImageConfigJson } from './schemas.js';

/** Manifests, indexes and configs are small; anything past this is not one. */
export const MAX_DOCUMENT = 16 * 1024 * 1024;

/**
 * Reads a JSON document from a store, checks its digest when one is known, and parses it.
 * Missing, mismatching or malformed documents are `image-corrupt`, naming file and input.
 *
 * @example
 * const index = await readDocument(store, 'index.json', OciIndex, 'index');
 */
export async function readDocument<S extends z.ZodType>(
  store: BlobStore,
  path: string,
  schema: S,
  what: string,
  digest?: string,
): Promise<z.infer<S>> {
  const data = await store.read(path, MAX_DOCUMENT);
  if (data === undefined) {
    throw new AppError('image-corrupt', `${store.label}: the ${what} ${path} ${store.missing}`, {
      hint: 'the image is incomplete; save or copy it again',
    });
  }
  if (digest !== undefined) {
    verifyBuffer(data, digest, `${store.label}: the ${what} ${path}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch (err) {
    throw new AppError('image-corrupt', `${store.label}: the ${what} ${path} is not JSON`, {
      cause: err,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw new AppError(
      'image-corrupt',
      `${store.label}: the ${what} ${path} is malformed at '${where}': ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}

/**
 * Reads and verifies an image config (image-spec config.md).
 *
 * @example
 * const config = await readConfig(store, 'blobs/sha256/f684...', 'sha256:f684...');
 */
export async function readConfig(
  store: BlobStore,
  path: string,
  digest?: string,
): Promise<ImageConfig> {
  const json = await readDocument(store, path, ImageConfigJson, 'image config', digest);
  return { ...json, history: json.history ?? undefined };
}

/**
 * Compression a layer media type declares (image-spec media-types.md, layer.md), or undefined
 * when the type says nothing (then the walker sniffs the blob's first bytes).
 *
 * @example
 * compressionOf('application/vnd.oci.image.layer.v1.tar+zstd'); // 'zstd'
 * compressionOf('application/vnd.docker.image.rootfs.diff.tar.gzip'); // 'gzip'
 */
export function compressionOf(mediaType: string | undefined): LayerCompression | undefined {
  if (mediaType === undefined) {
    return undefined;
  }
  if (/[+.]gzip$/.test(mediaType)) {
    return 'gzip';
  }
  if (/[+.]zstd$/.test(mediaType)) {
    return 'zstd';
  }
  return /[./]tar$/.test(mediaType) ? 'none' : undefined;
}

/**
 * `created_by` of each layer: history entries marked `empty_layer` (ENV, CMD...) made no layer
 * and are skipped, so the n-th remaining entry belongs to the n-th diff id (config.md).
 *
 * @example
 * createdByPerLayer(config); // ['/bin/sh -c #(nop) ADD file:...', 'RUN apt-get install -y curl']
 */
export function createdByPerLayer(config: ImageConfig): (string | undefined)[] {
  const lines: (string | undefined)[] = [];
  for (const entry of config.history ?? []) {
    if (entry.empty_layer !== true) {
      lines.push(entry.created_by ?? entry.comment);
    }
  }
  return lines;
}

/**
 * The inventory's view of the layers.
 *
 * @example
 * image.metadata.layers = layerInfos(image.layers);
 */
export function layerInfos(layers: ImageLayer[]): LayerInfo[] {
  return layers.map(layerInfo);
}

/**
 * The inventory's view of one layer.
 *
 * @example
 * layerInfo(image.layers[0]); // { index: 0, diffId: 'sha256:b515...', digest: 'sha256:b515...' }
 */
export function layerInfo(layer: ImageLayer): LayerInfo {
  const info: LayerInfo = { index: layer.index, diffId: layer.diffId, digest: layer.digest };
  if (layer.createdBy !== undefined) {
    info.createdBy = layer.createdBy;
  }
  return info;
}

/**
 * Checks that the config names one diff id per layer.
 *
 * @example
 * checkLayerCount(store.label, config, manifest.layers.length);
 */
export function checkLayerCount(label: string, config: ImageConfig, layerCount: number): void {
  if (config.rootfs.diff_ids.length !== layerCount) {
    throw new AppError(
      'image-corrupt',
      `${label}: the manifest lists ${layerCount} layers, the config ${config.rootfs.diff_ids.length} diff ids`,
      {
        hint: 'the image is inconsistent; save or copy it again',
      },
    );
  }
}
