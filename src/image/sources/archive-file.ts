import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { Header } from 'tar';
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
  const { size } = await stat(file);
  const limit = inflationLimit(size, maxBytes);
  const target = await temp.file('archive.tar');
  log.debug(`decompressing ${compression} archive ${file} into ${target} (at most ${limit} bytes)`);
  const decompressor = compression === 'gzip' ? createGunzip() : zstdStream();
  try {
    await pipeline(
      createReadStream(file, { highWaterMark: 1 << 20 }),
      decompressor,
      tarGuard(file, compression, limit),
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

/** Inflation always allowed, whatever the ratio: small archives of sparse layers exist. */
const MIN_INFLATION_BYTES = 1024 ** 3;

/**
 * Image archives compress 2 to 10 times (zeros-heavy layers a little more); 100 times leaves
 * room for any real image while an 8 MB bomb of zeros stops at 1 GiB, not 8.
 */
const MAX_INFLATION_RATIO = 100;

/**
 * The most bytes a compressed archive of `compressedSize` bytes may inflate to in temp space:
 * max(1 GiB, 100 × compressed), and never more than the absolute cap.
 *
 * @example
 * inflationLimit(8 * 1024 ** 2, 64 * 1024 ** 3); // 1073741824 (1 GiB)
 */
export function inflationLimit(compressedSize: number, maxBytes: number): number {
  return Math.min(maxBytes, Math.max(MIN_INFLATION_BYTES, MAX_INFLATION_RATIO * compressedSize));
}

/**
 * Passes inflated bytes through while checking, before anything is written past the first
 * block, that they start with a tar header, and stopping once they exceed `limit`.
 */
function tarGuard(file: string, compression: string, limit: number): Transform {
  let seen = 0;
  let head: Buffer[] | undefined = [];
  const notTar = () =>
    new AppError(
      'input-unrecognized',
      `${file} is ${compression}-compressed but holds no tar archive`,
      {
        hint: 'pass an image archive made by `docker save` or `skopeo copy ... oci-archive:FILE`, compressed or not',
      },
    );
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) {
        callback(
          new AppError(
            'image-too-large',
            `${file} inflates to more than ${limit} bytes, the limit for a ${compression} archive of its size`,
            {
              hint: 'it is probably a decompression bomb; if it is a real image, decompress it yourself and scan the tar',
            },
          ),
        );
        return;
      }
      if (head === undefined) {
        callback(null, chunk);
        return;
      }
      head.push(chunk);
      const first = Buffer.concat(head);
      if (first.length < TAR_BLOCK) {
        head = [first];
        callback();
        return;
      }
      head = undefined;
      callback(isTarHeader(first.subarray(0, TAR_BLOCK)) ? null : notTar(), first);
    },
    flush(callback: TransformCallback) {
      // Fewer than 512 bytes in all: not even one tar header.
      callback(head === undefined ? null : notTar());
    },
  });
}

const TAR_BLOCK = 512;

/**
 * Whether a 512-byte block is a POSIX ustar (or GNU, v7) header, by node-tar's `Header`: its
 * checksum (bytes 148–155) must match. An all-zero block ends an archive; one that starts with
 * it holds nothing, so it does not count.
 *
 * @example
 * isTarHeader(tarBytes([{ path: 'f', body: 'x' }]).subarray(0, 512)); // true
 */
export function isTarHeader(block: Buffer): boolean {
  if (block.length < TAR_BLOCK) {
    return false;
  }
  try {
    const header = new Header(block.subarray(0, TAR_BLOCK));
    return !header.nullBlock && header.cksumValid;
  } catch {
    // node-tar throws on fields it cannot decode (a base-256 size in random bytes).
    return false;
  }
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
