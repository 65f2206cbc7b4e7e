import type { OperatingSystem } from '../../inventory/types.js';
import type { OsFacts } from '../types.js';

/** A numeric Debian point release: `12.8`, `11.11`, `10.13`. */
const DEBIAN_NUMERIC = /^\d+(\.\d+)*$/;
/** Alpine development snapshots: `3.21_alpha20240807` (os-release says "Alpine Linux edge"). */
const ALPINE_EDGE = /_alpha|_beta|_rc/;

/**
 * Combines the facts of the OS release files into one operating system. Facts are given in layer
 * order; for the same path the last one wins. `/etc/os-release` is preferred to
 * `/usr/lib/os-release` (os-release(5) says the /etc copy takes precedence). Returns undefined
 * when no file named the distribution.
 *
 * - Debian: version from `/etc/debian_version` when numeric (`12.8`), release its major (`12`).
 *   Testing/unstable says `trixie/sid`: the release is VERSION_ID if set, else the codename.
 * - Alpine: version from `/etc/alpine-release` (`3.20.3`), release `v3.20`; snapshots are `edge`.
 * - Others: version and release are VERSION_ID (`22.04` for Ubuntu).
 *
 * @example
 * resolveOs([
 *   { path: '/etc/os-release', id: 'debian', versionId: '12', versionCodename: 'bookworm' },
 *   { path: '/etc/debian_version', debianVersion: '12.8' },
 * ]);
 * // { family: 'debian', version: '12.8', release: '12', codename: 'bookworm', ... }
 */
export function resolveOs(facts: OsFacts[]): OperatingSystem | undefined {
  const last = (predicate: (f: OsFacts) => boolean) => facts.filter(predicate).at(-1);
  const osRelease =
    last((f) => f.path === '/etc/os-release') ?? last((f) => f.path === '/usr/lib/os-release');
  const debianVersion = last((f) => f.debianVersion !== undefined);
  const alpineRelease = last((f) => f.alpineRelease !== undefined);

  const family =
    osRelease?.id ??
    (alpineRelease ? 'alpine' : undefined) ??
    (debianVersion ? 'debian' : undefined);
  if (!family) {
    return undefined;
  }

  const sources: string[] = [];
  const use = (f: OsFacts | undefined) => {
    if (f) sources.push(f.path);
  };
  use(osRelease);
  const versionId = osRelease?.versionId;
  let codename = osRelease?.versionCodename;
  let version = versionId ?? '';
  let release = versionId ?? '';

  if (family === 'debian') {
    use(debianVersion);
    const stated = debianVersion?.debianVersion;
    if (stated && DEBIAN_NUMERIC.test(stated)) {
      version = stated;
    } else if (stated) {
      // `trixie/sid`: no point release exists for testing or unstable
      codename ??= stated.split('/')[0];
      version = stated;
    }
    release = DEBIAN_NUMERIC.test(version)
      ? (version.split('.')[0] ?? version)
      : (versionId ?? codename ?? version);
  } else if (family === 'alpine') {
    use(alpineRelease);
    version = alpineRelease?.alpineRelease ?? version;
    release = alpineReleaseOf(version, osRelease?.prettyName);
  }

  const name = osRelease?.prettyName ?? osRelease?.name ?? `${family} ${version}`.trim();
  const os: OperatingSystem = { family, version, release, name, sources };
  if (codename) os.codename = codename;
  return os;
}

/** `3.20.3` → `v3.20`; snapshots (`3.21_alpha20240807`, "Alpine Linux edge") → `edge`. */
function alpineReleaseOf(version: string, prettyName: string | undefined): string {
  if (ALPINE_EDGE.test(version) || prettyName?.toLowerCase().includes('edge')) {
    return 'edge';
  }
  const [major, minor] = version.split('.');
  if (major === undefined || minor === undefined) {
    return version;
  }
  return `v${major}.${minor}`;
}
