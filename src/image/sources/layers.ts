import { AppError } from '../../core/errors/index.js';
import type { ImageLayer, LayerCompression } from '../types.js';
import type { BlobStore } from './blob-store.js';
import { verifyingStream } from './digest.js';
import { PARALLEL_DIGEST_MIN_BYTES, parallelVerifiedStream } from './parallel-digest.js';

/** What a source knows about one layer blob before it is read. */
export interface LayerSpec {
  index: number;
  /** Path of the blob in the store. */
  path: string;
  /**
   * Digest of the stored bytes; undefined when the source cannot tell, and then the
   * uncompressed tar is verified against `diffId` as the walker reads it.
   */
  digest: string | undefined;
  diffId: string;
  mediaType?: string;
  compression?: LayerCompression;
  createdBy?: string;
  /** Size the descriptor declares, checked while streaming. */
  declaredSize?: number;
}

/**
 * Builds an `ImageLayer` whose `open()` streams the blob from the store through a digest check.
 * A blob missing from the store is `image-corrupt` right away, before any layer is read.
 *
 * @example
 * const layer = await storeLayer(store, { index: 0, path: 'blobs/sha256/61af...', digest: 'sha256:61af...', diffId });
 */
export async function storeLayer(store: BlobStore, spec: LayerSpec): Promise<ImageLayer> {
  const size = await store.size(spec.path);
  if (size === undefined) {
    throw new AppError(
      'image-corrupt',
      `${store.label}: layer ${spec.index} blob ${spec.path} (${spec.digest ?? spec.diffId}) ${store.missing}`,
      {
        hint: 'the image is incomplete; save or copy it again',
      },
    );
  }
  const digest = spec.digest;
  const what = `layer ${spec.index} (${digest ?? spec.diffId}) in ${store.label}`;
  const layer: ImageLayer = {
    index: spec.index,
    digest: digest ?? spec.diffId,
    diffId: spec.diffId,
    size,
    open: async () => {
      if (digest === undefined) {
        return store.stream(spec.path);
      }
      const declared = spec.declaredSize ?? size;
      const extent =
        declared >= PARALLEL_DIGEST_MIN_BYTES ? await store.extent(spec.path) : undefined;
      return extent !== undefined && extent.length === declared
        ? parallelVerifiedStream(store.stream(spec.path), extent, digest, what)
        : verifyingStream(store.stream(spec.path), digest, what, declared);
    },
  };
  if (digest === undefined) {
    layer.diffIdCheck = `layer ${spec.index} (${spec.path}) in ${store.label}, uncompressed,`;
  }
  if (spec.mediaType !== undefined) {
    layer.mediaType = spec.mediaType;
  }
  if (spec.compression !== undefined) {
    layer.compression = spec.compression;
  }
  if (spec.createdBy !== undefined) {
    layer.createdBy = spec.createdBy;
  }
  return layer;
}

const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];

/**
 * Compression from a blob's magic bytes: gzip (RFC 1952 `1f 8b`), zstd (RFC 8878 frame magic
 * `28 b5 2f fd`), anything else is taken as a plain tar.
 *
 * @example
 * sniffCompression(Buffer.from([0x1f, 0x8b, 0x08, 0x00])); // 'gzip'
 */
export function sniffCompression(head: Uint8Array): LayerCompression {
  if (GZIP.every((byte, i) => head[i] === byte)) {
    return 'gzip';
  }
  return ZSTD.every((byte, i) => head[i] === byte) ? 'zstd' : 'none';
}
