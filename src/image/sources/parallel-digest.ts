import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { FileExtent } from './blob-store.js';
import { corrupt } from './digest.js';

/**
 * Blobs smaller than this are hashed inline: starting a worker costs more than hashing them.
 */
export const PARALLEL_DIGEST_MIN_BYTES = 16 * 1024 * 1024;

// Runs in a worker thread (a CommonJS script): hashes one byte range of a file.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const { file, start, length, algorithm } = workerData;
const hash = createHash(algorithm);
const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
const fd = openSync(file, 'r');
let done = 0;
try {
  while (done < length) {
    const n = readSync(fd, buffer, 0, Math.min(buffer.length, length - done), start + done);
    if (n === 0) break;
    hash.update(buffer.subarray(0, n));
    done += n;
  }
} finally {
  closeSync(fd);
}
parentPort.postMessage({ hex: hash.digest('hex'), read: done });
`;

function hashExtent(extent: FileExtent, algorithm: string): Promise<{ hex: string; read: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...extent, algorithm } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`digest worker exited with code ${code}`));
      }
    });
  });
}

/**
 * Checks a large blob's digest on the second core while the main thread parses the same bytes:
 * a worker reads the blob's extent from disk and hashes it; the returned stream passes the
 * blob through untouched and, at its end, fails with `image-corrupt` if the digest or size is
 * wrong. The worker reads the file itself rather than receiving the parsed bytes, so a file
 * rewritten during the scan is not detected; the check guards against damaged or altered
 * archives, which is what a digest in a manifest can promise.
 *
 * @example
 * const checked = parallelVerifiedStream(store.stream(path), extent, digest, 'layer 0 (sha256:..)');
 */
export function parallelVerifiedStream(
  source: Readable,
  extent: FileExtent,
  digest: string,
  what: string,
): Readable {
  const algorithm = digest.slice(0, digest.indexOf(':'));
  const result = hashExtent(extent, algorithm);
  // Handled in flush; this keeps an early rejection from being reported as unhandled.
  result.catch(() => undefined);
  let seen = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      seen += chunk.length;
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      result.then(
        ({ hex, read }) => {
          const actual = `${algorithm}:${hex}`;
          if (seen !== extent.length || read !== extent.length) {
            callback(corrupt(`${what} is ${seen} bytes, its descriptor says ${extent.length}`));
            return;
          }
          callback(
            actual === digest ? null : corrupt(`${what} does not match its digest (got ${actual})`),
          );
        },
        (err: unknown) => callback(corrupt(`${what} could not be hashed: ${String(err)}`)),
      );
    },
  });
  source.on('error', (err) => check.destroy(err));
  // A reader that stops early destroys the check; the source (an open file) goes with it.
  check.once('close', () => source.destroy());
  return source.pipe(check);
}
