import { constants, type Dirent } from 'node:fs';
import { lstat, open, opendir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Progress } from '../../core/progress.js';
import type { FileType } from '../walker-types.js';
import { pathTooLong, pathWarning, tooLarge } from './limits.js';
import { joinComponents } from './paths.js';
import {
  analyze,
  historyOf,
  matching,
  readersFor,
  recordWrite,
  type ContentBatch,
  type WalkState,
} from './state.js';

/**
 * Builds the view of a host directory for `bulkhead fs`. Directories are walked with an
 * explicit stack (no recursion, any depth); symlinks are recorded, never followed; sockets,
 * devices and FIFOs are skipped; files an analyzer matches are read once.
 *
 * @example
 * await scanDirectory(state, '/srv/rootfs', progress);
 */
export async function scanDirectory(
  state: WalkState,
  dir: string,
  progress: Progress,
): Promise<void> {
  const task = progress.start(`scanning ${dir}`, undefined, 'items');
  const stack: string[][] = [[]];
  let tooLong = 0;
  for (let parts = stack.pop(); parts !== undefined; parts = stack.pop()) {
    const host = join(dir, ...parts);
    let handle;
    try {
      handle = await opendir(host, { bufferSize: 256 });
    } catch (err) {
      unreadable(state, joinComponents(parts), err);
      continue;
    }
    for await (const dirent of handle) {
      state.stats.entries += 1;
      if (state.stats.entries > state.limits.maxEntries)
        throw tooLarge(dir, 'maxEntries', state.limits.maxEntries);
      const childParts = [...parts, dirent.name];
      // Past the path limits nothing in a container could open it: skipped, never descended.
      if (pathTooLong(state.limits, joinComponents(childParts), childParts.length)) {
        state.stats.skippedEntries += 1;
        tooLong += 1;
        continue;
      }
      const type = typeOf(dirent);
      if (type === undefined) {
        state.stats.skippedEntries += 1;
        continue;
      }
      await addEntry(state, dir, childParts, type);
      if (type === 'dir') stack.push(childParts);
    }
    task.update(state.stats.entries);
  }
  if (tooLong > 0) state.warnings.push(pathWarning('directory', tooLong, state.limits));
  task.done();
}

async function addEntry(
  state: WalkState,
  dir: string,
  parts: string[],
  type: FileType,
): Promise<void> {
  const host = join(dir, ...parts);
  const path = joinComponents(parts);
  let info;
  try {
    info = await lstat(host);
  } catch (err) {
    unreadable(state, path, err);
    return;
  }
  const linkTarget = type === 'symlink' ? await readlink(host).catch(() => '') : undefined;
  const fields = {
    type,
    mode: info.mode & 0o7777,
    size: type === 'file' ? info.size : 0,
    uid: info.uid,
    gid: info.gid,
    linkTarget,
  };
  const node = state.tree.put(parts, fields, 0);
  if (type === 'dir') return;
  const matched = matching(state, path);
  if (matched === undefined) return;
  if (type === 'symlink') {
    historyOf(state, path, parts);
    return;
  }
  const readers = readersFor(state, matched, path, info.size, 'directory');
  const content =
    readers.length === 0 ? Buffer.alloc(0) : await readBounded(state, host, info.size);
  if (content === undefined) return;
  recordWrite(
    historyOf(state, path, parts),
    node,
    0,
    analyze(state, readers, path, content, undefined),
  );
}

/**
 * Serves content requests (symlink targets) from the directory itself.
 *
 * @example
 * await readDeferredFromDir(state, '/srv/rootfs', batch);
 */
export async function readDeferredFromDir(
  state: WalkState,
  dir: string,
  batch: ContentBatch,
): Promise<void> {
  for (const wanted of batch.values()) {
    for (const [path, requests] of wanted) {
      const content = await readBounded(state, join(dir, path), state.tree.get(path)?.size ?? 0);
      for (const req of requests) {
        if (content !== undefined) req.deliver(content);
      }
    }
  }
}

/** Reads at most `size` bytes, refusing to follow a symlink swapped in since the listing. */
async function readBounded(
  state: WalkState,
  host: string,
  size: number,
): Promise<Buffer | undefined> {
  try {
    const handle = await open(host, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const buffer = Buffer.allocUnsafe(size);
      const { bytesRead } = await handle.read(buffer, 0, size, 0);
      state.stats.bytesRead += bytesRead;
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    unreadable(state, host, err);
    return undefined;
  }
}

function typeOf(dirent: Dirent): FileType | undefined {
  if (dirent.isDirectory()) return 'dir';
  if (dirent.isFile()) return 'file';
  if (dirent.isSymbolicLink()) return 'symlink';
  return undefined;
}

function unreadable(state: WalkState, path: string, err: unknown): void {
  state.warnings.push({
    code: 'unreadable',
    message: `${path} could not be read: ${err instanceof Error ? err.message : String(err)}`,
    location: path,
  });
}
