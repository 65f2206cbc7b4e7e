import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { AppError, isAppError } from '../../core/errors/index.js';
import type { Logger } from '../../core/logger.js';
import { tarStore, type BlobStore } from './blob-store.js';
import { sniffCompression } from './layers.js';
import type { TempSpace } from './temp-space.js';

export type ArchiveKind = 'docker-archive' | 'oci-archive';

/**
 * Opens an archive file as a store, first decompressing a gzip or zstd archive
 * (`docker save | gzip > image.tar.gz`) into the temp space, since members are read by offset.
 *
 * @example
 * const store = await archiveStore('/tmp/image.tar.gz', temp, log); // decompressed to temp first
 */
export async function archiveStore(
  file: string,
  temp: TempSpace,
  log: Logger,
  maxBytes = DEFAULT_MAX_ARCHIVE_BYTES,
): Promise<BlobStore> {
  const head = await readHead(file, 4);
  const compression = sniffCompression(head);
  if (compression === 'none') {
    return tarStore(file);
  }
  const target = await temp.file('archive.tar');
  log.debug(`decompressing ${compression} archive ${file} into ${target}`);
  const decompressor = compression === 'gzip' ? createGunzip() : zstdStream();
  try {
    await pipeline(
      createReadStream(file, { highWaterMark: 1 << 20 }),
      decompressor,
      capped(file, maxBytes),
      createWriteStream(target),
    );
  } catch (err) {
    if (isAppError(err)) {
      throw err;
    }
    throw new AppError(
      'image-corrupt',
      `${file} is a damaged or truncated ${compression} archive`,
      {
        cause: err,
        hint: 'the archive was cut off while copying or saving; create it again',
      },
    );
  }
  const store = await tarStore(target);
  return { ...store, label: file };
}

/** A compressed archive inflating past this is a bomb, not an image: the disk is protected. */
export const DEFAULT_MAX_ARCHIVE_BYTES = 64 * 1024 ** 3;

function capped(file: string, maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) {
        callback(
          new AppError(
            'image-too-large',
            `${file} decompresses to more than the ${maxBytes}-byte archive limit`,
            {
              hint: 'raise the archive limit if the archive is trusted; it may be a decompression bomb',
            },
          ),
        );
        return;
      }
      callback(null, chunk);
    },
  });
}

/**
 * Tells the two archive kinds apart by their top-level files: `manifest.json` is `docker save`
 * (Docker 25+ archives also hold an OCI layout, and are read as docker-archive);
 * `oci-layout` plus `index.json` is an OCI archive.
 *
 * @example
 * await archiveKind(await tarStore('/tmp/oci.tar')); // 'oci-archive'
 */
export async function archiveKind(store: BlobStore): Promise<ArchiveKind | undefined> {
  if ((await store.size('manifest.json')) !== undefined) {
    return 'docker-archive';
  }
  const layout =
    (await store.size('oci-layout')) !== undefined &&
    (await store.size('index.json')) !== undefined;
  return layout ? 'oci-archive' : undefined;
}

/**
 * Reads the first bytes of a file (magic numbers).
 *
 * @example
 * await readHead('/tmp/image.tar.gz', 4); // <Buffer 1f 8b 08 00>
 */
export async function readHead(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * A zstd decompressing stream over fzstd (RFC 8878), since Node 20's zlib has no zstd.
 *
 * @example
 * await pipeline(createReadStream('layer.tar.zst'), zstdStream(), sink);
 */
export function zstdStream(): Transform {
  // The callback runs only once data is pushed, after `transform` exists.
  const decompressor = new Decompress((data) => {
    if (data.length > 0) {
      transform.push(Buffer.from(data.buffer, data.byteOffset, data.length));
    }
  });
  const transform = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      try {
        decompressor.push(chunk);
        callback();
      } catch (err) {
        callback(asError(err));
      }
    },
    flush(callback: TransformCallback) {
      try {
        decompressor.push(new Uint8Array(0), true);
        callback();
      } catch (err) {
        callback(asError(err));
      }
    },
  });
  return transform;
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
