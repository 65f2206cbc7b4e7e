import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../core/errors/index.js';
import type { Logger } from '../core/logger.js';
import type { Progress } from '../core/progress.js';
import { archiveKind, archiveStore, type ArchiveKind } from './sources/archive-file.js';
import { dirStore, tarStore } from './sources/blob-store.js';
import { openDockerArchive, type ArchiveOpenOptions } from './sources/docker-archive.js';
import { engineEndpoint, inspectImage, saveImage } from './sources/engine.js';
import { openOciLayout } from './sources/oci-layout.js';
import { formatPlatform, parsePlatform, platformMatches } from './sources/select.js';
import { createTempSpace, type TempSpace } from './sources/temp-space.js';

export { removeAllTempSpacesSync } from './sources/temp-space.js';
import type { OpenedImage } from './types.js';

export interface OpenImageOptions {
  /** `linux/amd64`, `linux/arm64/v8`: which image of a multi-platform archive or index. */
  platform?: string;
  log: Logger;
  progress: Progress;
  /** Where the private temp directory is made; default `os.tmpdir()`. */
  tempRoot?: string;
  /** Most bytes a gzip or zstd archive may inflate to in temp space; default 64 GiB. */
  maxArchiveBytes?: number;
  /** Environment to read `DOCKER_HOST` from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** A reference split into the source it names (skopeo transport syntax). */
export interface ParsedReference {
  kind: 'docker-archive' | 'oci-layout' | 'oci-archive' | 'docker-engine' | 'sniff';
  /** File or directory for archive and layout kinds; the image name for the engine. */
  target: string;
  name?: string;
}

const PREFIXES: [string, ParsedReference['kind']][] = [
  ['docker-archive:', 'docker-archive'],
  ['oci-archive:', 'oci-archive'],
  ['oci:', 'oci-layout'],
  ['docker-daemon:', 'docker-engine'],
  ['docker:', 'docker-engine'],
];

/**
 * Opens an image from any source bulkhead reads and returns it ready for the walker. The
 * reference decides the source:
 *
 * - `docker-archive:PATH[:NAME]`, `oci:PATH[:NAME]`, `oci-archive:PATH[:NAME]` (skopeo syntax);
 * - `docker-daemon:NAME` or `docker:NAME`: an image in the local Docker engine;
 * - a directory holding `oci-layout`: an OCI layout;
 * - a file: sniffed (gzip, `docker save` tar, OCI archive);
 * - anything else: an image name in the engine.
 *
 * Everything the source writes goes into one temp directory, removed by `close()` and on error.
 *
 * @example
 * const image = await openImage('docker-archive:/var/cache/bulkhead-test/bookworm.tar', { log, progress: noProgress });
 * try { console.log(image.metadata.layers.length); } finally { await image.close(); }
 */
export async function openImage(
  reference: string,
  options: OpenImageOptions,
): Promise<OpenedImage> {
  const temp = createTempSpace(options.tempRoot);
  const scoped = { ...options, log: options.log.child('image') };
  try {
    return await openParsed(reference, await classify(parseReference(reference)), temp, scoped);
  } catch (err) {
    await temp.remove();
    throw err;
  }
}

/**
 * Splits a skopeo-style reference. `PATH:NAME` splits at the first `:` unless the whole rest
 * names an existing file, since a NAME itself holds a `:` (`debian:12`).
 *
 * @example
 * parseReference('oci:/tmp/x:minbase'); // { kind: 'oci-layout', target: '/tmp/x', name: 'minbase' }
 */
export function parseReference(reference: string): ParsedReference {
  for (const [prefix, kind] of PREFIXES) {
    if (!reference.startsWith(prefix)) {
      continue;
    }
    const rest = reference.slice(prefix.length);
    if (rest.startsWith('//')) {
      throw new AppError(
        'usage',
        `${reference} names a registry image; reading from registries is not supported yet`,
        {
          hint: 'pull it with docker and pass docker-daemon:NAME, or copy it with skopeo to oci:DIR',
        },
      );
    }
    if (kind === 'docker-engine') {
      return { kind, target: rest };
    }
    const colon = rest.indexOf(':');
    return colon < 0
      ? { kind, target: rest }
      : { kind, target: rest.slice(0, colon), name: rest.slice(colon + 1) };
  }
  return { kind: 'sniff', target: reference };
}

/** Rejoins `PATH:NAME` when the whole string is an existing path after all. */
async function classify(parsed: ParsedReference): Promise<ParsedReference> {
  if (parsed.name === undefined || parsed.kind === 'docker-engine') {
    return parsed;
  }
  const whole = `${parsed.target}:${parsed.name}`;
  return (await exists(whole)) ? { kind: parsed.kind, target: whole } : parsed;
}

async function openParsed(
  reference: string,
  parsed: ParsedReference,
  temp: TempSpace,
  options: OpenImageOptions,
) {
  const log = options.log;
  const base = (source: ArchiveOpenOptions['source']): ArchiveOpenOptions => {
    const opts: ArchiveOpenOptions = { reference, source, log, close: () => temp.remove() };
    if (parsed.name !== undefined) opts.name = parsed.name;
    if (options.platform !== undefined) opts.platform = options.platform;
    return opts;
  };

  switch (parsed.kind) {
    case 'docker-engine':
      return openFromEngine(reference, parsed.target, temp, options);
    case 'oci-layout':
      await requirePath(parsed.target, 'directory');
      return openOciLayout(dirStore(parsed.target), base('oci-layout'));
    case 'docker-archive':
    case 'oci-archive': {
      await requirePath(parsed.target, 'file');
      const store = await archiveStore(parsed.target, temp, log, options.maxArchiveBytes);
      const kind: ArchiveKind = parsed.kind;
      return kind === 'docker-archive'
        ? openDockerArchive(store, base(kind))
        : openOciLayout(store, base(kind));
    }
    case 'sniff':
      return openSniffed(reference, temp, options, base);
  }
}

async function openSniffed(
  reference: string,
  temp: TempSpace,
  options: OpenImageOptions,
  base: (source: ArchiveOpenOptions['source']) => ArchiveOpenOptions,
): Promise<OpenedImage> {
  const info = await stat(reference).catch(() => undefined);
  if (info?.isDirectory()) {
    if (!(await exists(join(reference, 'oci-layout')))) {
      throw new AppError(
        'input-unrecognized',
        `${reference} is a directory but not an OCI image layout (no oci-layout file)`,
        {
          hint: 'scan a plain directory with `bulkhead fs DIR`',
        },
      );
    }
    return openOciLayout(dirStore(reference), base('oci-layout'));
  }
  if (info?.isFile()) {
    if (info.size === 0) {
      throw new AppError('input-unrecognized', `${reference} is empty`, {
        hint: 'pass an image archive made by `docker save` or `skopeo copy ... oci-archive:FILE`',
      });
    }
    const store = await archiveStore(reference, temp, options.log, options.maxArchiveBytes);
    const kind = await archiveKind(store);
    if (kind === undefined) {
      throw new AppError(
        'input-unrecognized',
        `${reference} is a tar but holds neither manifest.json (docker save) nor oci-layout and index.json (OCI archive)`,
        {
          hint: 'pass an image archive made by `docker save` or `skopeo copy ... oci-archive:FILE`',
        },
      );
    }
    return kind === 'docker-archive'
      ? openDockerArchive(store, base(kind))
      : openOciLayout(store, base(kind));
  }
  if (info !== undefined) {
    throw notFileOrDirectory(reference, info);
  }
  if (/^(\.{0,2}\/)|\.(tar|tgz|tar\.gz|tar\.zst)$/.test(reference)) {
    throw new AppError('input-not-found', `${reference} does not exist`, {
      hint: 'check the path',
    });
  }
  return openFromEngine(reference, reference, temp, options);
}

async function openFromEngine(
  reference: string,
  name: string,
  temp: TempSpace,
  options: OpenImageOptions,
) {
  const endpoint = engineEndpoint(options.env);
  const info = await inspectImage(endpoint, name);
  if (options.platform !== undefined) {
    const have = {
      os: info.Os ?? 'unknown',
      architecture: info.Architecture ?? 'unknown',
      ...(info.Variant ? { variant: info.Variant } : {}),
    };
    if (!platformMatches(have, parsePlatform(options.platform))) {
      throw new AppError(
        'image-not-found',
        `the engine holds ${name} for ${formatPlatform(have)}, not ${options.platform}`,
        {
          hint: 'pull the image for that platform first',
        },
      );
    }
  }
  const file = await temp.file('image.tar');
  options.log.debug(`saving ${name} (${info.Id}) from ${endpoint.display} into ${file}`);
  await saveImage(endpoint, name, file, options.progress, info.Size);
  const store = { ...(await tarStore(file)), label: `image ${name} from the Docker engine` };
  return openDockerArchive(store, {
    reference,
    source: 'docker-engine',
    log: options.log,
    repoDigests: info.RepoDigests ?? [],
    close: () => temp.remove(),
  });
}

async function requirePath(path: string, what: 'file' | 'directory'): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) {
    throw new AppError('input-not-found', `${path} does not exist`, { hint: 'check the path' });
  }
  if (!info.isDirectory() && !info.isFile()) {
    throw notFileOrDirectory(path, info);
  }
  if (what === 'file' && info.size === 0) {
    throw new AppError('input-unrecognized', `${path} is empty`, {
      hint: 'pass an image archive made by `docker save` or `skopeo copy ... oci-archive:FILE`',
    });
  }
  if (what === 'directory' ? !info.isDirectory() : !info.isFile()) {
    throw new AppError('input-unrecognized', `${path} is not a ${what}`, {
      hint:
        what === 'directory'
          ? 'oci: takes a layout directory; use oci-archive: for a tar'
          : 'pass the archive file',
    });
  }
}

/** `/dev/null` exists: it is a device, which no image source reads. */
function notFileOrDirectory(path: string, info: Stats): AppError {
  const kind = info.isCharacterDevice()
    ? 'a character device'
    : info.isBlockDevice()
      ? 'a block device'
      : info.isFIFO()
        ? 'a named pipe'
        : info.isSocket()
          ? 'a socket'
          : 'a special file';
  return new AppError('input-unrecognized', `${path} is ${kind}, not a regular file or directory`, {
    hint: 'pass an image archive file, an OCI layout directory or an image name',
  });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
