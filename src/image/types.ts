import type { Readable } from 'node:stream';
import type { ImageMetadata } from '../inventory/types.js';

/** Compression of a layer blob as stored, from its media type or its first bytes. */
export type LayerCompression = 'none' | 'gzip' | 'zstd';

export interface ImageLayer {
  index: number;
  /** Digest of the blob as stored. */
  digest: string;
  /** Digest of the uncompressed tar, from the config's `rootfs.diff_ids`. */
  diffId: string;
  mediaType?: string;
  /**
   * Compression the media type declares; undefined when the source gives no media type (the
   * legacy `docker save` layout), and the walker then sniffs the first bytes.
   */
  compression?: LayerCompression;
  /**
   * Names the layer when its stored bytes have no known digest (a compressed layer of a legacy
   * `docker save` archive): the reader then checks the uncompressed tar against `diffId`
   * instead, and fails with `image-corrupt` at its end if it does not match.
   */
  diffIdCheck?: string;
  /** Stored size in bytes, when known. */
  size?: number;
  /** History line that created the layer, when known. */
  createdBy?: string;
  /**
   * Opens the stored blob (still compressed). The reader checks the blob digest while it
   * streams and fails with `image-corrupt` at the end if it does not match. May be called
   * more than once (the walker re-reads a layer for a rare hard link or symlink target).
   */
  open(): Promise<Readable>;
}

/** The subset of the OCI image config bulkhead reads (image-spec config.md). */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  config?: {
    User?: string;
    Env?: string[] | null;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
    Labels?: Record<string, string> | null;
    ExposedPorts?: Record<string, unknown> | null;
    Healthcheck?: unknown;
  } | null;
  rootfs: { type: string; diff_ids: string[] };
  history?: { created_by?: string; empty_layer?: boolean; created?: string; comment?: string }[];
}

/** An image opened from any source, ready for the walker. */
export interface OpenedImage {
  metadata: ImageMetadata;
  config: ImageConfig;
  layers: ImageLayer[];
  /** Removes whatever the source put in temp space. Safe to call twice. */
  close(): Promise<void>;
}
