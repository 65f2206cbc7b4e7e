import { createHash, type Hash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { AppError } from '../../core/errors/index.js';

/**
 * Digest grammar from the OCI image-spec descriptor.md ("Digests"):
 * `algorithm ":" encoded`. Only the registered algorithms we can verify are accepted.
 */
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/**
 * Whether `value` is a digest bulkhead can verify (`sha256:` + 64 hex, or sha512).
 *
 * @example
 * isDigest('sha256:' + 'ab'.repeat(32)); // true
 */
export function isDigest(value: string): boolean {
  return DIGEST.test(value);
}

/**
 * Starts a hash for a digest's algorithm.
 *
 * @example
 * const hash = hasherFor('sha256:e3b0c442...');
 */
export function hasherFor(digest: string): Hash {
  return createHash(digest.startsWith('sha512:') ? 'sha512' : 'sha256');
}

/**
 * `sha256:` digest of a buffer.
 *
 * @example
 * sha256Of(Buffer.from('')); // 'sha256:e3b0c442...'
 */
export function sha256Of(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/**
 * Checks a whole blob (a manifest or config read into memory) against its digest.
 *
 * @example
 * verifyBuffer(configBytes, 'sha256:91152fc2...', 'config blobs/sha256/91152fc2...');
 */
export function verifyBuffer(data: Buffer, digest: string, what: string): void {
  const actual = `${digest.slice(0, digest.indexOf(':'))}:${hasherFor(digest).update(data).digest('hex')}`;
  if (actual !== digest) {
    throw new AppError(
      'image-corrupt',
      `${what} does not match its digest ${digest} (got ${actual})`,
      {
        hint: 'the image is damaged; save or copy it again',
      },
    );
  }
}

/**
 * Passes a blob through unchanged while hashing it, and fails at the end with `image-corrupt`
 * when the digest (or the expected size) does not match. Each byte is hashed exactly once.
 *
 * @example
 * const checked = verifyingStream(createReadStream(path), 'sha256:48f6c408...', 'layer sha256:48f6c408...');
 */
export function verifyingStream(
  source: Readable,
  digest: string,
  what: string,
  expectedSize?: number,
): Readable {
  const hash = hasherFor(digest);
  let seen = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      hash.update(chunk);
      seen += chunk.length;
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      const actual = `${digest.slice(0, digest.indexOf(':'))}:${hash.digest('hex')}`;
      if (expectedSize !== undefined && seen !== expectedSize) {
        callback(corrupt(`${what} is ${seen} bytes, its descriptor says ${expectedSize}`));
        return;
      }
      callback(
        actual === digest ? null : corrupt(`${what} does not match its digest (got ${actual})`),
      );
    },
  });
  source.on('error', (err) => check.destroy(err));
  // A reader that stops early destroys the check; the source (an open file) goes with it.
  check.once('close', () => source.destroy());
  return source.pipe(check);
}

/** The error for a blob that is not what its descriptor says. */
export function corrupt(message: string): AppError {
  return new AppError('image-corrupt', message, {
    hint: 'the image is damaged or was modified; save or copy it again',
  });
}
