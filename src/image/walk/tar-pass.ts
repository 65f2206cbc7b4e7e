import { Parser, type Header, type ReadEntry } from 'tar';
import { AppError, isAppError } from '../../core/errors/index.js';

/** Entry types node-tar hands to the filter (read-entry.js); others it ignores outright. */
const FILTERED_TYPES = new Set([
  'File',
  'OldFile',
  'Link',
  'SymbolicLink',
  'CharacterDevice',
  'BlockDevice',
  'Directory',
  'FIFO',
  'ContiguousFile',
  'GNUDumpDir',
]);

/** What one pass over a layer tar does with its entries. Every callback is synchronous. */
export interface TarVisitor {
  /** Called for every filesystem entry header; return true to receive its body. */
  entry(entry: ReadEntry): boolean;
  /** A piece of the body of the entry last accepted. */
  data(chunk: Buffer): void;
  /** The entry last accepted is complete. */
  end(): void;
  /** A damaged entry node-tar skipped (no path, link without target...). */
  warn(code: string, message: string): void;
  /** An entry of a type no filesystem view holds (sparse, volume label...). */
  unsupported(entry: ReadEntry): void;
  /** A header node-tar refused; return true when the visitor could still use it. */
  rejected?(header: Header): boolean;
}

/**
 * Feeds an uncompressed tar through node-tar's `Parser` once. Bodies of entries the visitor
 * declines are skipped by the parser without copies. `onChunk` sees each chunk's size first
 * (limits, progress) and may throw to stop the pass. Damage is `image-corrupt` naming `label`:
 * a bad header checksum (random bytes, a desynchronized stream) or a truncated body.
 *
 * @example
 * await runTarPass(tar, visitor, 'layer 0 (sha256:b515...)', (n) => (bytes += n));
 */
export async function runTarPass(
  tar: AsyncIterable<Buffer>,
  visitor: TarVisitor,
  label: string,
  onChunk: (bytes: number) => void,
): Promise<void> {
  let fatal: AppError | undefined;
  let accepted = 0;
  let sawEof = false;
  let bytes = 0;
  let ended = false;

  const parser = new Parser({
    strict: false,
    // The stream is already decompressed; never let the parser guess a codec.
    brotli: false,
    zstd: false,
    filter: (_path, entry) => {
      const wanted = visitor.entry(entry as ReadEntry);
      accepted += 1;
      return wanted;
    },
  });
  parser.on('warn', (code: string, message: string, data: { header?: Header }) => {
    // An empty layer is two zero blocks (1024 bytes) and no entry; node-tar calls that
    // unrecognized, but it is a valid, empty tar.
    if (
      code === 'TAR_BAD_ARCHIVE' &&
      /Unrecognized/.test(message) &&
      (bytes === 0 || (sawEof && accepted === 0))
    ) {
      return;
    }
    // A header that fails its checksum or cannot be decoded at all means the stream is not a
    // tar (random bytes) or lost its framing; nothing after it can be trusted.
    if (code === 'TAR_BAD_ARCHIVE' || /checksum/.test(message) || data.header === undefined) {
      fatal ??= corrupt(label, message);
      return;
    }
    if (data.header !== undefined && visitor.rejected?.(data.header) === true) {
      return;
    }
    visitor.warn(
      code,
      `${message}${data.header?.path === undefined ? '' : ` at ${data.header.path}`}`,
    );
  });
  parser.on('error', (err: Error) => {
    fatal ??= corrupt(label, err.message);
  });
  parser.on('eof', () => (sawEof = true));
  parser.on('end', () => (ended = true));
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    // Entries the filter declined come here too; only types node-tar never filters are news.
    if (!entry.meta && !FILTERED_TYPES.has(entry.type)) {
      visitor.unsupported(entry);
    }
  });
  parser.on('entry', (entry: ReadEntry) => {
    entry.on('data', (chunk: Buffer) => visitor.data(chunk));
    entry.on('end', () => visitor.end());
  });

  try {
    for await (const chunk of tar) {
      bytes += chunk.length;
      onChunk(chunk.length);
      parser.write(chunk);
      if (fatal !== undefined) {
        throw fatal;
      }
    }
  } catch (err) {
    throw isAppError(err)
      ? err
      : corrupt(label, err instanceof Error ? err.message : String(err), err);
  }
  parser.end();
  if (!ended && fatal === undefined) {
    await new Promise<void>((resolve) => parser.once('end', () => resolve()));
  }
  if (fatal !== undefined) {
    throw fatal;
  }
}

function corrupt(label: string, detail: string, cause?: unknown): AppError {
  return new AppError('image-corrupt', `${label} is damaged: ${detail}`, {
    cause,
    hint: 'the layer is not a valid tar; save or copy the image again',
  });
}
