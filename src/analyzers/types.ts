import type { LayerInfo, Package, PackageEcosystem, ScanWarning } from '../inventory/types.js';
import type { Logger } from '../core/logger.js';

/** One file handed to an analyzer, read once by the walker. */
export interface AnalyzerFile {
  /** Absolute, normalized path inside the image or scanned directory: `/var/lib/dpkg/status`. */
  path: string;
  content: Buffer;
  /** The layer the file comes from; undefined for a directory scan. */
  layer?: LayerInfo;
}

export interface AnalyzerContext {
  log: Logger;
  /** Reports a soft problem (a malformed entry that was skipped) into the scan's warnings. */
  warn(warning: ScanWarning): void;
}

/** Facts one file gives about the operating system. `resolveOs` combines them. */
export interface OsFacts {
  /** The file they were read from. */
  path: string;
  id?: string;
  idLike?: string[];
  versionId?: string;
  /** NAME from os-release (`Debian GNU/Linux`), used when PRETTY_NAME is absent. */
  name?: string;
  prettyName?: string;
  versionCodename?: string;
  /** Content of /etc/debian_version (`12.8`, `bookworm/sid`). */
  debianVersion?: string;
  /** Content of /etc/alpine-release (`3.20.3`). */
  alpineRelease?: string;
}

/** A package as an analyzer reports it; the walker adds the layer later. */
export type AnalyzedPackage = Omit<Package, 'layer'>;

/**
 * Where a set of packages was found and how. `npm-hidden-lockfile` is npm 7+'s record of what
 * is actually installed (`node_modules/.package-lock.json`); the pipeline uses it to flag dev
 * packages found through `npm-package-json`.
 */
export type PackageSource =
  | 'dpkg-status'
  | 'dpkg-status.d'
  | 'apk-installed'
  | 'npm-package-json'
  | 'npm-lockfile'
  | 'npm-hidden-lockfile';

/**
 * What an analyzer looks for, so callers can pick analyzers the way `--pkg-types` does:
 * `os` (release files), `os-packages` (dpkg, apk), `language-packages` (npm...).
 */
export type AnalyzerGroup = 'os' | 'os-packages' | 'language-packages';

export interface PackageSet {
  source: PackageSource;
  ecosystem: PackageEcosystem;
  /** The file the set was read from (same as `AnalyzerFile.path`). */
  path: string;
  packages: AnalyzedPackage[];
}

export interface AnalyzerOutput {
  os?: OsFacts;
  packageSets?: PackageSet[];
}

/**
 * An analyzer reads files and reports facts: OS release, installed packages. It never touches
 * the vulnerability database or the network. The walker calls `matches` for every regular file
 * and hands the content of matching files, up to `maxFileSize`, to `analyze`.
 */
export interface Analyzer {
  readonly id: string;
  readonly group: AnalyzerGroup;
  /** Bumped whenever the output for the same input changes; part of the layer-cache key. */
  readonly version: number;
  /** Files larger than this are not read; the walker records a warning instead. */
  readonly maxFileSize: number;
  /** Cheap test on the normalized absolute path. */
  matches(path: string): boolean;
  /**
   * Fixed absolute paths the analyzer reads (`/var/lib/dpkg/status`). Besides matching like
   * `matches`, each is resolved through the final view's symlinks in every component, so a file
   * reached only through a directory symlink (`/var/lib -> /opt/lib`) is still read, and
   * reported under this path.
   */
  readonly requiredPaths?: readonly string[];
  analyze(file: AnalyzerFile, ctx: AnalyzerContext): AnalyzerOutput | undefined;
}
