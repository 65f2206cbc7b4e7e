import { createReadStream } from 'node:fs';
import { lstat, open, readFile, realpath } from 'node:fs/promises';
import { join, posix, sep } from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../../core/errors/index.js';
import { indexTar, normalizeMemberPath, type TarMember } from './tar-index.js';

/**
 * Read access to the files of an image container format, whether they sit in a directory
 * (OCI layout) or inside a tar (docker-archive, OCI archive). Paths are relative and use `/`.
 */
export interface BlobStore {
  /** Names the input in messages: the archive file or layout directory. */
  readonly label: string;
  /** Size of the file, or undefined when it is missing. */
  size(path: string): Promise<number | undefined>;
  /** Reads a small file (a manifest or config) whole; undefined when it is missing. */
  read(path: string, maxBytes: number): Promise<Buffer | undefined>;
  /** Reads the first bytes of a file (to sniff compression). */
  head(path: string, bytes: number): Promise<Buffer>;
  /** Streams a file that `size` reported as present. */
  stream(path: string): Readable;
  /** Where a file's bytes lie on disk, so they can be hashed without passing through `stream`. */
  extent(path: string): Promise<FileExtent | undefined>;
}

/** A byte range of a file on disk. */
export interface FileExtent {
  file: string;
  start: number;
  length: number;
}

const CHUNK = 1024 * 1024;

/**
 * A store over an uncompressed tar: members are read by offset, never extracted. Symbolic and
 * hard links between members are followed (older `docker save` links a repeated layer as
 * `<id>/layer.tar -> ../<other-id>/layer.tar`; Docker 25 links `<id>/layer.tar` into `blobs/`).
 *
 * @example
 * const store = await tarStore('/var/cache/bulkhead-test/bookworm.tar');
 * const manifest = await store.read('manifest.json', 1 << 20);
 */
export async function tarStore(file: string): Promise<BlobStore> {
  const { members } = await indexTar(file);

  function find(path: string): TarMember | undefined {
    let current = normalizeMemberPath(path);
    for (let hops = 0; hops < 40; hops += 1) {
      const member = members.get(current);
      if (member?.linkpath === undefined) {
        return member;
      }
      // A symlink target is relative to the link's directory; a hard link names a member.
      current =
        member.type === 'SymbolicLink'
          ? normalizeMemberPath(posix.join(posix.dirname(current), member.linkpath))
          : normalizeMemberPath(member.linkpath);
    }
    return undefined;
  }

  function stream(path: string): Readable {
    const member = find(path);
    if (member === undefined || member.size === 0) {
      return Readable.from([]);
    }
    const end = member.offset + member.size - 1;
    return createReadStream(file, { start: member.offset, end, highWaterMark: CHUNK });
  }

  return {
    label: file,
    size: async (path) => find(path)?.size,
    async read(path, maxBytes) {
      const member = find(path);
      if (member === undefined) {
        return undefined;
      }
      tooBig(file, path, member.size, maxBytes);
      return readRange(file, member.offset, member.size);
    },
    async head(path, bytes) {
      const member = find(path);
      return member === undefined
        ? Buffer.alloc(0)
        : readRange(file, member.offset, Math.min(bytes, member.size));
    },
    stream,
    async extent(path) {
      const member = find(path);
      return member === undefined ? undefined : { file, start: member.offset, length: member.size };
    },
  };
}

/**
 * A store over a directory (an OCI image layout). Paths that would leave the directory, by
 * `..` or through a symlink, count as missing.
 *
 * @example
 * const store = dirStore('/tmp/layout');
 * await store.size('blobs/sha256/072225fc...'); // 406
 */
export function dirStore(dir: string): BlobStore {
  async function locate(path: string): Promise<{ full: string; size: number } | undefined> {
    const relative = normalizeMemberPath(path);
    if (relative === '' || path.split('/').includes('..')) {
      return undefined;
    }
    const full = join(dir, relative);
    try {
      const stat = await lstat(full);
      if (stat.isSymbolicLink()) {
        const real = await realpath(full);
        const root = await realpath(dir);
        if (!real.startsWith(root + sep)) {
          return undefined;
        }
        return { full: real, size: (await lstat(real)).size };
      }
      return stat.isFile() ? { full, size: stat.size } : undefined;
    } catch {
      return undefined;
    }
  }

  return {
    label: dir,
    size: async (path) => (await locate(path))?.size,
    async read(path, maxBytes) {
      const found = await locate(path);
      if (found === undefined) {
        return undefined;
      }
      tooBig(dir, path, found.size, maxBytes);
      return readFile(found.full);
    },
    async head(path, bytes) {
      const found = await locate(path);
      return found === undefined
        ? Buffer.alloc(0)
        : readRange(found.full, 0, Math.min(bytes, found.size));
    },
    stream: (path) =>
      createReadStream(join(dir, normalizeMemberPath(path)), { highWaterMark: CHUNK }),
    async extent(path) {
      const found = await locate(path);
      return found === undefined ? undefined : { file: found.full, start: 0, length: found.size };
    },
  };
}

async function readRange(file: string, offset: number, length: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const target = Buffer.alloc(length);
    const { bytesRead } = await handle.read(target, 0, length, offset);
    return target.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function tooBig(label: string, path: string, size: number, maxBytes: number): void {
  if (size > maxBytes) {
    throw new AppError(
      'image-corrupt',
      `${label}: ${path} is ${size} bytes, more than the ${maxBytes} a manifest or config may have`,
      {
        hint: 'the image is damaged or hostile',
      },
    );
  }
}
