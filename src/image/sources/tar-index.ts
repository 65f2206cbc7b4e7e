import { open, type FileHandle } from 'node:fs/promises';
import { Header, Pax, type HeaderData } from 'tar';
import { clampedComponents } from '../walk/paths.js';
import { AppError } from '../../core/errors/index.js';

/** One member of an indexed tar: where its body starts and how long it is. */
export interface TarMember {
  path: string;
  type: string;
  /** Byte offset of the body in the tar file. */
  offset: number;
  size: number;
  linkpath?: string;
}

/** Members of an uncompressed tar file by normalized path (`manifest.json`, `blobs/sha256/ab..`). */
export interface TarIndex {
  file: string;
  members: Map<string, TarMember>;
}

const BLOCK = 512;
/** Pax and GNU long-name bodies larger than this are not names; the archive is hostile. */
const MAX_META = 1024 * 1024;

/**
 * Reads the headers of an uncompressed tar at their offsets with node-tar's `Header` and `Pax`
 * (POSIX ustar plus pax `x`/`g` and GNU `L`/`K` records), skipping every body. Bodies are later
 * streamed by offset, so a 120 MB `docker save` archive is indexed with a handful of reads.
 *
 * @example
 * const index = await indexTar('/var/cache/bulkhead-test/bookworm.tar');
 * index.members.get('manifest.json'); // { offset: 121494016, size: 219, type: 'File', ... }
 */
export async function indexTar(file: string): Promise<TarIndex> {
  const handle = await open(file, 'r');
  try {
    const { size: fileSize } = await handle.stat();
    return { file, members: await readMembers(handle, file, fileSize) };
  } finally {
    await handle.close();
  }
}

async function readMembers(handle: FileHandle, file: string, fileSize: number) {
  const members = new Map<string, TarMember>();
  const block = Buffer.alloc(BLOCK);
  let offset = 0;
  let extended: HeaderData | undefined;
  let global: HeaderData | undefined;

  while (offset + BLOCK <= fileSize) {
    await readExactly(handle, block, offset);
    let header: Header;
    try {
      header = new Header(block, 0, extended, global);
    } catch {
      // node-tar throws on fields it cannot decode (a base-256 size in random bytes).
      throw badHeader(file, offset, members.size);
    }
    if (header.nullBlock) {
      // End of archive: two zero blocks (POSIX ustar). One is enough to stop reading.
      return members;
    }
    if (!header.cksumValid || header.path === undefined) {
      throw badHeader(file, offset, members.size);
    }
    const size = header.size ?? 0;
    const body = offset + BLOCK;
    if (body + size > fileSize) {
      throw new AppError(
        'image-corrupt',
        `${file} is truncated: ${header.path} needs ${size} bytes at ${body}, the file has ${fileSize}`,
        {
          hint: 'the archive was cut off while copying or saving; create it again',
        },
      );
    }
    offset = body + Math.ceil(size / BLOCK) * BLOCK;

    switch (header.type) {
      // Pax record `30 path=blobs/sha256/0123...\n` applies to the next member only.
      case 'ExtendedHeader':
        extended = Pax.parse(await readMeta(handle, file, body, size), extended, false);
        continue;
      case 'GlobalExtendedHeader':
        global = Pax.parse(await readMeta(handle, file, body, size), global, true);
        continue;
      // GNU `././@LongLink` member whose body is the next member's name.
      case 'NextFileHasLongPath':
      case 'OldGnuLongPath':
        extended = {
          ...extended,
          path: (await readMeta(handle, file, body, size)).replace(/\0.*/s, ''),
        };
        continue;
      case 'NextFileHasLongLinkpath':
        extended = {
          ...extended,
          linkpath: (await readMeta(handle, file, body, size)).replace(/\0.*/s, ''),
        };
        continue;
      default:
        extended = undefined;
    }

    const path = normalizeMemberPath(header.path);
    const member: TarMember = { path, type: header.type, offset: body, size };
    if (header.linkpath) {
      member.linkpath = header.linkpath;
    }
    members.set(path, member);
  }
  if (offset !== fileSize) {
    throw new AppError(
      'image-corrupt',
      `${file} is truncated inside a tar header at byte ${offset}`,
      {
        hint: 'the archive was cut off while copying or saving; create it again',
      },
    );
  }
  return members;
}

/**
 * `./blobs/sha256/ab/` → `blobs/sha256/ab`.
 *
 * @example
 * normalizeMemberPath('./blobs/sha256/ab/'); // 'blobs/sha256/ab'
 */
export function normalizeMemberPath(raw: string): string {
  // Member names resolve like a symlink target from the archive root: `..` stops at the root.
  return clampedComponents([], raw).join('/');
}

async function readMeta(handle: FileHandle, file: string, offset: number, size: number) {
  if (size > MAX_META) {
    throw new AppError('image-corrupt', `${file} has a ${size}-byte extended header at ${offset}`, {
      hint: 'the archive is damaged or hostile',
    });
  }
  const body = Buffer.alloc(size);
  await readExactly(handle, body, offset);
  return body.toString('utf8');
}

async function readExactly(handle: FileHandle, target: Buffer, position: number) {
  const { bytesRead } = await handle.read(target, 0, target.length, position);
  if (bytesRead !== target.length) {
    throw new AppError('image-corrupt', `short read at byte ${position}`, {
      hint: 'the archive is truncated',
    });
  }
}

function badHeader(file: string, offset: number, seen: number): AppError {
  if (seen === 0) {
    return new AppError('input-unrecognized', `${file} is not a tar archive`, {
      hint: 'pass a `docker save` archive, an OCI archive or an OCI layout directory',
    });
  }
  return new AppError('image-corrupt', `${file} has a damaged tar header at byte ${offset}`, {
    hint: 'the archive is damaged; create it again',
  });
}
