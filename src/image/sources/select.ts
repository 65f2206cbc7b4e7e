import { AppError } from '../../core/errors/index.js';

/** An image an archive or index offers: its names and platform. */
export interface Candidate {
  names: string[];
  platform?: Platform;
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/**
 * Parses `os/arch[/variant]`.
 *
 * @example
 * parsePlatform('linux/arm64/v8'); // { os: 'linux', architecture: 'arm64', variant: 'v8' }
 */
export function parsePlatform(text: string): Platform {
  const [os, architecture, variant, extra] = text.split('/');
  if (!os || !architecture || extra !== undefined) {
    throw new AppError('usage', `platform '${text}' is not os/arch[/variant]`, {
      hint: 'write it like linux/amd64 or linux/arm64/v8',
    });
  }
  return variant ? { os, architecture, variant } : { os, architecture };
}

/**
 * The platform this process runs on, in OCI terms (Node's `x64` is OCI `amd64`).
 *
 * @example
 * hostPlatform(); // { os: 'linux', architecture: 'amd64' }
 */
export function hostPlatform(): Platform {
  const arch: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' };
  return { os: process.platform, architecture: arch[process.arch] ?? process.arch };
}

/**
 * `linux/arm64/v8`, or `unknown platform`.
 *
 * @example
 * formatPlatform({ os: 'linux', architecture: 'amd64' }); // 'linux/amd64'
 */
export function formatPlatform(platform: Platform | undefined): string {
  if (platform === undefined) {
    return 'unknown platform';
  }
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** arm64 images often omit the default variant v8 (image-index.md, platform variants). */
function variantOf(platform: Platform): string | undefined {
  return platform.variant ?? (platform.architecture === 'arm64' ? 'v8' : undefined);
}

/**
 * Whether an image's platform satisfies a wanted one; a wanted variant must match.
 *
 * @example
 * platformMatches({ os: 'linux', architecture: 'arm64' }, parsePlatform('linux/arm64/v8')); // true
 */
export function platformMatches(have: Platform | undefined, want: Platform): boolean {
  if (have === undefined || have.os !== want.os || have.architecture !== want.architecture) {
    return false;
  }
  return want.variant === undefined || variantOf(have) === variantOf(want);
}

/**
 * Normalizes an image name the way the Docker CLI does, so `debian` matches
 * `docker.io/library/debian:latest`.
 *
 * @example
 * normalizeName('docker.io/library/debian'); // 'debian:latest'
 */
export function normalizeName(name: string): string {
  let result = name.replace(/^(docker\.io|index\.docker\.io)\//, '').replace(/^library\//, '');
  const lastSlash = result.lastIndexOf('/');
  if (!result.includes('@') && !result.slice(lastSlash + 1).includes(':')) {
    result += ':latest';
  }
  return result;
}

function nameMatches(candidate: Candidate, wanted: string): boolean {
  const normalized = normalizeName(wanted);
  return candidate.names.some((name) => name === wanted || normalizeName(name) === normalized);
}

/**
 * Picks one image: by name, then by platform; with neither, the only candidate, else the one
 * for the host platform, else `image-ambiguous` listing every candidate.
 *
 * @example
 * const chosen = selectCandidate(candidates, { platform: 'linux/arm64' }, 'oci:/tmp/x');
 */
export function selectCandidate<T extends Candidate>(
  candidates: T[],
  want: { name?: string; platform?: string },
  label: string,
): T {
  let left = candidates;
  if (want.name !== undefined) {
    const name = want.name;
    left = left.filter((candidate) => nameMatches(candidate, name));
    if (left.length === 0) {
      throw notFound(`${label} holds no image named ${name}`, candidates);
    }
  }
  if (want.platform !== undefined) {
    const platform = parsePlatform(want.platform);
    left = left.filter((candidate) => platformMatches(candidate.platform, platform));
    if (left.length === 0) {
      throw notFound(`${label} holds no image for ${want.platform}`, candidates);
    }
  }
  if (left.length === 1 && left[0] !== undefined) {
    return left[0];
  }
  if (left.length === 0) {
    throw new AppError('image-corrupt', `${label} holds no image`);
  }
  const host = hostPlatform();
  const forHost = left.filter((candidate) => platformMatches(candidate.platform, host));
  if (want.platform === undefined && forHost.length === 1 && forHost[0] !== undefined) {
    return forHost[0];
  }
  throw new AppError('image-ambiguous', `${label} holds ${left.length} images: ${describe(left)}`, {
    hint: 'pick one by name (docker-archive:FILE:NAME, oci:DIR:NAME, oci-archive:FILE:NAME) or with --platform',
  });
}

function notFound(message: string, candidates: Candidate[]): AppError {
  return new AppError('image-not-found', `${message}; it has: ${describe(candidates)}`, {
    hint: 'pick one of the listed names or platforms',
  });
}

function describe(candidates: Candidate[]): string {
  return candidates
    .map(
      (candidate) =>
        `${candidate.names.join(', ') || '(untagged)'} [${formatPlatform(candidate.platform)}]`,
    )
    .join('; ');
}
