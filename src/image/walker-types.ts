import type { OsFacts, PackageSet } from '../analyzers/types.js';
import type { Logger } from '../core/logger.js';
import type { Progress } from '../core/progress.js';
import type { LayerInfo, Package, ScanWarning } from '../inventory/types.js';

/** Kinds of file in the final view (tar typeflags of POSIX ustar, and what `lstat` reports). */
export type FileType =
  'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo' | 'socket';

/** Metadata of one path in the final filesystem view. Content is never kept. */
export interface FileInfo {
  readonly type: FileType;
  /** Permission bits (`0o755`). */
  readonly mode: number;
  readonly size: number;
  readonly uid: number;
  readonly gid: number;
  /** Symlink target as written, or the hard link's target (absolute, normalized). */
  readonly linkTarget: string | undefined;
  /** Index of the layer that wrote this version (0 for a directory scan). */
  readonly layer: number;
}

/** The final filesystem view, as metadata only. */
export interface FileView {
  /** Looks up an absolute path exactly (symlinks are not followed). */
  get(path: string): FileInfo | undefined;
  /** Every path and its metadata, depth first, parents before children. */
  entries(): IterableIterator<[string, FileInfo]>;
  /** Number of paths, the root excluded. */
  readonly count: number;
}

/** A package set whose packages carry the layer that introduced them. */
export interface AttributedPackageSet extends Omit<PackageSet, 'packages'> {
  packages: Package[];
}

/** What one analyzer said about one path of the final view. */
export interface WalkOutput {
  analyzerId: string;
  /** Path as the final view has it (a symlink's own path when its target was read). */
  path: string;
  /** Layer that wrote the content the output was read from; absent for a directory scan. */
  layer?: LayerInfo;
  os?: OsFacts;
  packageSets?: AttributedPackageSet[];
}

export interface WalkStats {
  layers: number;
  /** Tar entries (or directory entries) seen, metadata records excluded. */
  entries: number;
  /** Uncompressed bytes read from layers (or file bytes read from the directory). */
  bytesRead: number;
  /** Files handed to at least one analyzer. */
  analyzedFiles: number;
  /** Entries not applied: unsafe paths, unsupported types, sockets and devices of a directory. */
  skippedEntries: number;
}

export interface WalkResult {
  /** Sorted by path, then analyzer id. */
  outputs: WalkOutput[];
  files: FileView;
  warnings: ScanWarning[];
  stats: WalkStats;
}

/**
 * Safety limits. Exceeding the byte or entry limit is `image-too-large`; an entry past a path
 * limit is skipped, with one `path-too-long` warning per layer.
 */
export interface WalkLimits {
  /** Uncompressed bytes over all layers. */
  maxTotalBytes: number;
  /** Tar entries over all layers. */
  maxEntries: number;
  /** Characters of one entry path. */
  maxPathLength: number;
  /** Components of one entry path. */
  maxPathDepth: number;
}

export interface WalkOptions {
  log: Logger;
  progress: Progress;
  limits?: Partial<WalkLimits>;
}
