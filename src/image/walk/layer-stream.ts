import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ImageLayer, LayerCompression } from '../types.js';
import { zstdStream } from '../sources/archive-file.js';
import { verifyingStream } from '../sources/digest.js';
import { sniffCompression } from '../sources/layers.js';

const ZLIB_CHUNK = 256 * 1024;

/**
 * Opens a layer as a stream of its uncompressed tar. The compression comes from the media
 * type, else from the blob's first bytes. `onStored` sees each stored (compressed) chunk, for
 * progress. The blob's digest check travels with the stream: a mismatch surfaces as an error
 * at its end.
 *
 * @example
 * const { tar } = await openLayerTar(layer, (n) => task.advance(n));
 * for await (const chunk of tar) parser.write(chunk);
 */
export async function openLayerTar(
  layer: ImageLayer,
  onStored: (bytes: number) => void,
): Promise<{ tar: Readable; compression: LayerCompression }> {
  let stored = await layer.open();
  let compression: LayerCompression | undefined = layer.compression;
  if (compression === undefined) {
    const peeked = await peek(stored);
    compression = sniffCompression(peeked.head);
    stored = peeked.stream;
  }
  if (compression === 'none') {
    // Stored bytes are the tar bytes: the consumer counts them as it reads.
    return { tar: checkDiffId(layer, stored), compression };
  }
  // Safe before piping: 'data' starts the flow on the next tick, after pipeline attached.
  stored.on('data', (chunk: Buffer) => onStored(chunk.length));
  const decompressor =
    compression === 'gzip' ? createGunzip({ chunkSize: ZLIB_CHUNK }) : zstdStream();
  // Errors of either side destroy both; the consumer sees them when iterating.
  return {
    tar: checkDiffId(
      layer,
      pipeline(stored, decompressor, () => undefined),
    ),
    compression,
  };
}

/** A layer whose stored digest is unknown is checked, uncompressed, against its diff id. */
function checkDiffId(layer: ImageLayer, tar: Readable): Readable {
  return layer.diffIdCheck === undefined
    ? tar
    : verifyingStream(tar, layer.diffId, layer.diffIdCheck);
}

/** Reads the first chunk and puts it back, to sniff magic bytes without a second open. */
async function peek(stream: Readable): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = stream[Symbol.asyncIterator]();
  const first = await iterator.next();
  const head = first.done === true ? Buffer.alloc(0) : (first.value as Buffer);
  async function* rest() {
    yield head;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      yield next.value as Buffer;
    }
  }
  return { head, stream: Readable.from(rest(), { objectMode: false }) };
}
