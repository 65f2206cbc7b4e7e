/**
 * The normalized inventory: what an image or directory holds, independent of where it came
 * from. Analyzers produce it, matchers and writers consume it. Nothing here knows about
 * vulnerabilities.
 */

/** Package ecosystems bulkhead inventories. The value is also the purl type's family. */
export type PackageEcosystem = 'debian' | 'alpine' | 'npm';

/** A layer of an image, as the inventory refers to it. */
export interface LayerInfo {
  /** Position in the image, 0 for the base layer. */
  index: number;
  /** Digest of the uncompressed layer tar (`rootfs.diff_ids[index]`). */
  diffId: string;
  /** Digest of the blob as stored (compressed or not); equal to diffId for plain tars. */
  digest: string;
  /** The history line that created the layer, when the image config records one. */
  createdBy?: string;
}

export interface OperatingSystem {
  /** Lower-case distribution id from os-release (`debian`, `alpine`, `ubuntu`...). */
  family: string;
  /** Full release as the image states it (`12.8`, `3.20.3`). */
  version: string;
  /** Release as the advisory data names it (`12` for Debian, `v3.20` for Alpine). */
  release: string;
  /** Human name (`Debian GNU/Linux 12 (bookworm)`). */
  name: string;
  codename?: string;
  /** Files the facts were read from. */
  sources: string[];
}

export interface Package {
  name: string;
  version: string;
  ecosystem: PackageEcosystem;
  /** Package URL (https://github.com/package-url/purl-spec). */
  purl: string;
  /** The layer whose change introduced this package at this version. Absent for `fs` scans. */
  layer?: LayerInfo;
  /** The file this package was read from, absolute within the image or scanned directory. */
  path: string;
  /** OS packages: the source package the binary was built from. */
  sourceName?: string;
  /** OS packages: the source package version (may differ from the binary version). */
  sourceVersion?: string;
  arch?: string;
  /** Language packages: installed or locked only for development. */
  dev?: boolean;
  licenses?: string[];
}

export type TargetKind = 'os-packages' | 'lockfile' | 'installed-packages';

/** A group of packages reported together: the OS packages, or one lockfile or package tree. */
export interface Target {
  /** Display name: `debian 12.8 (dpkg)`, `/app/package-lock.json`, `/app/node_modules`. */
  name: string;
  kind: TargetKind;
  /** The ecosystem the packages are matched in. */
  ecosystem: PackageEcosystem;
  /** The file or directory the target stands for. */
  path: string;
  packages: Package[];
}

/** A problem met while reading the input that did not stop the scan. */
export interface ScanWarning {
  code: string;
  message: string;
  /** File or layer the warning is about. */
  location?: string;
}

export interface ImageMetadata {
  /** What the user asked for (`debian:12`, `./image.tar`). */
  reference: string;
  /** Which kind of source it was read from. */
  source: 'docker-archive' | 'oci-layout' | 'oci-archive' | 'docker-engine' | 'filesystem';
  /** Config digest (`sha256:...`); the image id. */
  id?: string;
  repoTags: string[];
  repoDigests: string[];
  os?: string;
  architecture?: string;
  variant?: string;
  created?: string;
  layers: LayerInfo[];
}

export interface Inventory {
  artifact: ImageMetadata;
  os?: OperatingSystem;
  targets: Target[];
  warnings: ScanWarning[];
}
