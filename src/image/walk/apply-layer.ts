import type { ReadEntry } from 'tar';
import type { Analyzer } from '../../analyzers/types.js';
import type { FileType } from '../walker-types.js';
import type { FileNode } from './file-tree.js';
import { pathTooLong, pathWarning, tooLarge } from './limits.js';
import { clampedComponents, entryComponents, joinComponents } from './paths.js';
import type { TarVisitor } from './tar-pass.js';
import {
  analyze,
  contentSource,
  historyOf,
  matching,
  readersFor,
  recordWrite,
  request,
  type ContentBatch,
  type WalkState,
} from './state.js';

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
/** Content of analyzed files kept during a layer, for hard links to them (freed after). */
const LINK_CACHE_BYTES = 64 * 1024 * 1024;

/** node-tar entry types (POSIX ustar typeflags) and the file view's kinds. */
const TYPES: Record<string, FileType | undefined> = {
  File: 'file',
  OldFile: 'file',
  ContiguousFile: 'file',
  Directory: 'dir',
  GNUDumpDir: 'dir',
  SymbolicLink: 'symlink',
  Link: 'hardlink',
  CharacterDevice: 'char',
  BlockDevice: 'block',
  FIFO: 'fifo',
};

interface PendingRead {
  path: string;
  parts: string[];
  node: FileNode;
  readers: Analyzer[];
  buffer: Buffer;
  filled: number;
  /** Only captured for a symlink that points here; no analyzer of its own. */
  captureOnly: boolean;
}

/**
 * The visitor that applies one layer tar to the walk state in a single pass (image-spec
 * layer.md "Applying Changesets"): entries are written into the view, whiteouts remove lower
 * content, and the bodies of files an analyzer matches are read once and handed to each of
 * those analyzers. Hard links whose target was not read are queued in `deferred`.
 *
 * @example
 * await runTarPass(tar, layerVisitor(state, 1, deferred), 'layer 1', onChunk);
 */
export function layerVisitor(
  state: WalkState,
  layer: number,
  deferred: ContentBatch,
): TarVisitor & { finish(): void } {
  const where = layerLabel(state, layer);
  const { tree, limits, stats } = state;
  const cache = new Map<string, Buffer>();
  let cached = 0;
  let pending: PendingRead | undefined;
  let tooLong = 0;

  function skip(entry: ReadEntry, code: string, why: string): false {
    stats.skippedEntries += 1;
    state.warnings.push({
      code,
      message: `${where}: entry ${entry.path} ${why}; skipped`,
      location: `${where}: ${entry.path}`,
    });
    return false;
  }

  function skipLong(): false {
    stats.skippedEntries += 1;
    tooLong += 1;
    return false;
  }

  function finishFile(
    path: string,
    parts: string[],
    node: FileNode,
    readers: Analyzer[],
    content: Buffer,
  ): void {
    if (state.wanted.has(path)) {
      state.captured.set(path, { layer, content });
    }
    const outputs = analyze(state, readers, path, content, layer);
    recordWrite(historyOf(state, path, parts), node, layer, outputs);
    if (cached + content.length <= LINK_CACHE_BYTES) {
      cache.set(path, content);
      cached += content.length;
    }
  }

  function linkEntry(
    path: string,
    parts: string[],
    target: string[],
    node: FileNode,
    matched: Analyzer[] | undefined,
  ): boolean {
    const targetPath = joinComponents(target);
    const targetNode = tree.lookup(target);
    node.linkTarget = targetPath;
    node.size = targetNode?.size ?? 0;
    // Remembered for every link: a symlink or required path may reach it after the walk.
    const source = contentSource(state, targetNode, targetPath);
    if (source !== undefined) {
      state.linkSources.set(node, source);
    }
    if (matched === undefined) {
      return false;
    }
    const readers = readersFor(state, matched, path, node.size, where);
    const history = historyOf(state, path, parts);
    const event = recordWrite(history, node, layer, new Map());
    const content = cache.get(targetPath);
    if (content !== undefined) {
      event.outputs = analyze(state, readers, path, content, layer);
      return false;
    }
    if (source === undefined) {
      state.warnings.push({
        code: 'link-target-missing',
        message: `${where}: hard link ${path} names ${targetPath}, which is not a file`,
        location: `${where}: ${path}`,
      });
      return false;
    }
    // Rare: the target was not read in this pass. One targeted re-read after the last layer.
    request(deferred, source.layer, source.path, {
      readers,
      deliver: (data) => (event.outputs = analyze(state, readers, path, data, layer)),
    });
    return false;
  }

  /** Reads a file no analyzer matches when a matched symlink points at it. */
  function capture(path: string, parts: string[], node: FileNode, size: number): boolean {
    const limit = state.wanted.get(path);
    if (limit === undefined || size > limit) return false;
    if (size === 0) {
      state.captured.set(path, { layer, content: Buffer.alloc(0) });
      return false;
    }
    pending = {
      path,
      parts,
      node,
      readers: [],
      buffer: Buffer.allocUnsafe(size),
      filled: 0,
      captureOnly: true,
    };
    return true;
  }

  function want(parts: string[], linkpath: string, matched: Analyzer[]): void {
    const target = joinComponents(clampedComponents(parts.slice(0, -1), linkpath));
    const limit = Math.max(...matched.map((analyzer) => analyzer.maxFileSize));
    state.wanted.set(target, Math.max(limit, state.wanted.get(target) ?? 0));
  }

  return {
    rejected(header) {
      // Docker writes some whiteouts with a stray link name (`usr/share/doc/.wh.apt`, type 0,
      // linkname `etc/debian_version`); node-tar rejects those headers, but they still delete.
      const parts = entryComponents(header.path ?? '');
      const name = parts?.[parts.length - 1] ?? '';
      if (parts === undefined || !name.startsWith(WHITEOUT) || (header.size ?? 0) !== 0)
        return false;
      stats.entries += 1;
      if (name === OPAQUE) tree.opaque(parts.slice(0, -1), layer);
      else tree.whiteout([...parts.slice(0, -1), name.slice(WHITEOUT.length)], layer);
      return true;
    },
    entry(entry) {
      stats.entries += 1;
      if (stats.entries > limits.maxEntries) throw tooLarge(where, 'maxEntries', limits.maxEntries);
      // No process in a container can open a path this long; skipping also bounds memory.
      if (pathTooLong(limits, entry.path, 0)) return skipLong();
      const parts = entryComponents(entry.path);
      // `../../etc/passwd`, `/../x`: names that climb out of the root are never applied.
      if (parts === undefined) return skip(entry, 'unsafe-path', 'climbs out of the image root');
      if (pathTooLong(limits, entry.path, parts.length)) return skipLong();

      const name = parts[parts.length - 1] ?? '';
      if (name.startsWith(WHITEOUT)) {
        // `etc/.wh.debian_version` deletes /etc/debian_version of lower layers;
        // `opt/data/.wh..wh..opq` hides everything lower layers put in /opt/data.
        if (name === OPAQUE) tree.opaque(parts.slice(0, -1), layer);
        else if (!name.startsWith(`${WHITEOUT}${WHITEOUT}`))
          tree.whiteout([...parts.slice(0, -1), name.slice(WHITEOUT.length)], layer);
        return false;
      }
      const type = TYPES[entry.type];
      if (type === undefined)
        return skip(entry, 'unsupported-entry', `has unsupported type ${entry.type}`);

      // A hard link names another entry of the archive, relative to the root (POSIX ustar).
      const target = type === 'hardlink' ? entryComponents(entry.linkpath ?? '') : undefined;
      if (type === 'hardlink' && (target === undefined || target.length === 0)) {
        return skip(
          entry,
          'unsafe-link',
          `is a hard link to ${entry.linkpath ?? ''}, outside the image root`,
        );
      }
      const node = tree.put(parts, fieldsOf(entry, type), layer);
      if (type === 'dir' || type === 'char' || type === 'block' || type === 'fifo') return false;
      const path = joinComponents(parts);
      const matched = matching(state, path);
      if (target !== undefined) return linkEntry(path, parts, target, node, matched);
      if (matched === undefined) return type === 'file' && capture(path, parts, node, entry.size);
      if (type === 'symlink') {
        historyOf(state, path, parts);
        want(parts, entry.linkpath ?? '', matched);
        return false;
      }
      const readers = readersFor(state, matched, path, entry.size, where);
      if (readers.length === 0 || entry.size === 0) {
        finishFile(path, parts, node, readers, Buffer.alloc(0));
        return false;
      }
      pending = {
        path,
        parts,
        node,
        readers,
        buffer: Buffer.allocUnsafe(entry.size),
        filled: 0,
        captureOnly: false,
      };
      return true;
    },
    data(chunk) {
      if (pending === undefined) return;
      const room = pending.buffer.length - pending.filled;
      pending.filled += chunk.copy(pending.buffer, pending.filled, 0, Math.min(room, chunk.length));
    },
    end() {
      if (pending === undefined) return;
      const read = pending;
      pending = undefined;
      const content = read.buffer.subarray(0, read.filled);
      if (read.captureOnly) state.captured.set(read.path, { layer, content });
      else finishFile(read.path, read.parts, read.node, read.readers, content);
    },
    warn(code, message) {
      state.warnings.push({
        code: 'tar-entry-invalid',
        message: `${where}: ${message} (${code})`,
        location: where,
      });
    },
    unsupported(entry) {
      stats.entries += 1;
      skip(entry, 'unsupported-entry', `has unsupported type ${entry.type}`);
    },
    finish() {
      if (tooLong > 0) state.warnings.push(pathWarning(where, tooLong, limits));
    },
  };
}

function fieldsOf(entry: ReadEntry, type: FileType) {
  return {
    type,
    mode: entry.mode ?? 0,
    size: type === 'file' ? entry.size : 0,
    uid: entry.uid ?? 0,
    gid: entry.gid ?? 0,
    linkTarget: type === 'symlink' ? entry.linkpath : undefined,
  };
}

/**
 * `layer 1 (sha256:5859a1bf...)`, or `directory` for a host directory scan.
 *
 * @example
 * layerLabel(state, 1); // 'layer 1 (sha256:5859a1bf...)'
 */
export function layerLabel(state: WalkState, layer: number): string {
  const info = state.layers[layer];
  return info === undefined ? 'directory' : `layer ${layer} (${info.digest})`;
}
