import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header, type HeaderData } from 'tar';

/** One member of a synthetic tar; names are written as given, hostile ones included. */
export interface TarSpec {
  path: string;
  type?: HeaderData['type'];
  body?: string | Buffer;
  linkpath?: string;
  mode?: number;
}

/**
 * Encodes tar members with node-tar's `Header` (and a pax record for long names). No
 * sanitizing: `../etc/passwd` goes into the archive as is, which is the point.
 *
 * @example
 * const layer = tarBytes([{ path: 'etc/os-release', type: 'SymbolicLink', linkpath: '../../../../etc/shadow' }]);
 */
export function tarBytes(specs: readonly TarSpec[], end = true): Buffer {
  const blocks: Buffer[] = [];
  for (const spec of specs) {
    blocks.push(tarMember(spec));
  }
  if (end) {
    blocks.push(Buffer.alloc(1024));
  }
  return Buffer.concat(blocks);
}

/**
 * Header (with a pax record when needed), body and padding of one member.
 *
 * @example
 * const member = tarMember({ path: '../evil', body: 'x' });
 */
export function tarMember(spec: TarSpec): Buffer {
  const body =
    typeof spec.body === 'string' ? Buffer.from(spec.body) : (spec.body ?? Buffer.alloc(0));
  const type = spec.type ?? (spec.path.endsWith('/') ? 'Directory' : 'File');
  const data: HeaderData = {
    path: spec.path,
    type,
    mode: spec.mode ?? (type === 'Directory' ? 0o755 : 0o644),
    size: type === 'File' ? body.length : 0,
    uid: 0,
    gid: 0,
    mtime: new Date(0),
  };
  if (spec.linkpath !== undefined) data.linkpath = spec.linkpath;
  const header = new Header(data);
  const block = Buffer.alloc(512);
  const parts: Buffer[] = [];
  if (spec.path.length > 100) {
    parts.push(paxRecord(spec.path));
    header.path = 'long-name-in-pax';
  }
  header.encode(block, 0);
  parts.push(block, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  return Buffer.concat(parts);
}

/** A pax `x` member carrying a long path (POSIX pax "path" keyword): `<len> path=<value>\n`. */
function paxRecord(path: string): Buffer {
  const rest = ` path=${path}\n`;
  let length = Buffer.byteLength(rest) + 1;
  while (String(length).length + Buffer.byteLength(rest) !== length) length += 1;
  const body = Buffer.from(`${length}${rest}`);
  const block = Buffer.alloc(512);
  new Header({
    path: 'PaxHeader',
    type: 'ExtendedHeader',
    size: body.length,
    mode: 0o644,
    mtime: new Date(0),
  }).encode(block, 0);
  return Buffer.concat([block, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}

/**
 * `sha256:` digest of test data.
 *
 * @example
 * sha256(''); // 'sha256:e3b0c442...'
 */
export function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export interface LayerBlob {
  /** The stored bytes (compressed or not). */
  blob: Buffer;
  /** Digest of the uncompressed tar. */
  diffId: string;
  mediaType: string;
}

/**
 * A layer stored as plain tar, or gzip-compressed.
 *
 * @example
 * const layer = layerBlob(tarBytes([{ path: 'f', body: 'x' }]), true);
 */
export function layerBlob(tar: Buffer, gzip = false): LayerBlob {
  return gzip
    ? {
        blob: gzipSync(tar),
        diffId: sha256(tar),
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      }
    : { blob: tar, diffId: sha256(tar), mediaType: 'application/vnd.oci.image.layer.v1.tar' };
}

export interface ImageSpec {
  layers: LayerBlob[];
  architecture?: string;
  refName?: string;
  /** Replaces the config bytes (to make it malformed). */
  config?: Buffer;
}

/**
 * Writes blobs, the config and manifest of one image into `blobs/`; returns the manifest descriptor.
 *
 * @example
 * const { digest } = await writeOciImage(dir, { layers: [layerBlob(tar)] });
 */
export async function writeOciImage(dir: string, spec: ImageSpec) {
  const config =
    spec.config ??
    Buffer.from(
      JSON.stringify({
        architecture: spec.architecture ?? 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: spec.layers.map((layer) => layer.diffId) },
        history: spec.layers.map((_, i) => ({ created_by: `step ${i}` })),
      }),
    );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256(config),
        size: config.length,
      },
      layers: spec.layers.map((layer) => ({
        mediaType: layer.mediaType,
        digest: sha256(layer.blob),
        size: layer.blob.length,
      })),
    }),
  );
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const data of [config, manifest, ...spec.layers.map((layer) => layer.blob)]) {
    await writeFile(join(dir, 'blobs', 'sha256', sha256(data).slice(7)), data);
  }
  return {
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: sha256(manifest),
    size: manifest.length,
    platform: { architecture: spec.architecture ?? 'amd64', os: 'linux' },
    ...(spec.refName === undefined
      ? {}
      : { annotations: { 'org.opencontainers.image.ref.name': spec.refName } }),
    configDigest: sha256(config),
  };
}

/**
 * Writes an OCI image layout (image-spec image-layout.md) holding the given images.
 *
 * @example
 * await writeOciLayout(dir, [{ layers: [layerBlob(tarBytes([...]))], refName: 'test' }]);
 */
export async function writeOciLayout(dir: string, images: readonly ImageSpec[]): Promise<string[]> {
  const manifests = [];
  for (const image of images) {
    const { configDigest: _unused, ...descriptor } = await writeOciImage(dir, image);
    manifests.push(descriptor);
  }
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests }));
  return manifests.map((manifest) => manifest.digest);
}

/**
 * Builds a legacy `docker save` archive (`<id>/layer.tar`, `<config-hex>.json`, `manifest.json`)
 * in memory.
 *
 * @example
 * await writeFile(file, dockerArchive([{ tags: ['test:1'], layers: [tar] }]));
 */
export function dockerArchive(
  images: readonly {
    tags: string[];
    layers: Buffer[];
    architecture?: string;
    /** Replaces the diff ids (by default the digests of the stored layers). */
    diffIds?: string[];
  }[],
  omit: string[] = [],
): Buffer {
  const members: TarSpec[] = [];
  const manifest = [];
  for (const image of images) {
    const config = Buffer.from(
      JSON.stringify({
        architecture: image.architecture ?? 'amd64',
        os: 'linux',
        rootfs: {
          type: 'layers',
          diff_ids: image.diffIds ?? image.layers.map((layer) => sha256(layer)),
        },
        history: [
          { created_by: 'ENV A=1', empty_layer: true },
          ...image.layers.map((_, i) => ({ created_by: `RUN step ${i}` })),
        ],
      }),
    );
    const configName = `${sha256(config).slice(7)}.json`;
    const layerNames = image.layers.map((layer) => `${sha256(layer).slice(7, 71)}/layer.tar`);
    members.push({ path: configName, body: config });
    image.layers.forEach((layer, i) =>
      members.push({ path: layerNames[i] as string, body: layer }),
    );
    manifest.push({ Config: configName, RepoTags: image.tags, Layers: layerNames });
  }
  members.push({ path: 'manifest.json', body: JSON.stringify(manifest) });
  return tarBytes(members.filter((member) => !omit.includes(member.path)));
}
