import { PackageURL } from 'packageurl-js';

import type { OperatingSystem, Package, PackageEcosystem } from './types.js';

/**
 * Package URLs for inventory packages, per the purl specification
 * (https://github.com/package-url/purl-spec, `docs/standard/characters-and-encoding.md` and the
 * `deb`, `apk` and `npm` type definitions).
 */

/** The purl type of each ecosystem. */
const PURL_TYPE: Record<PackageEcosystem, string> = {
  debian: 'deb',
  alpine: 'apk',
  npm: 'npm',
};

/** The fields `purlFor` reads; analyzers call it before the package is complete. */
export type PurlInput = Pick<Package, 'name' | 'version' | 'ecosystem' | 'arch'>;

/**
 * The package URL of a package. For OS packages the namespace is the OS family and, when the OS
 * is known, a `distro` qualifier `<family>-<version>` is added; analyzers call this without the
 * OS and the pipeline calls it again once the OS is resolved. npm scopes become the namespace.
 *
 * @example
 * purlFor({ name: 'libc6', version: '2.36-9+deb12u9', ecosystem: 'debian', arch: 'amd64' }, os);
 * // 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u9?arch=amd64&distro=debian-12.8'
 * purlFor({ name: '@scope/name', version: '1.0.0', ecosystem: 'npm' });
 * // 'pkg:npm/%40scope/name@1.0.0'
 */
export function purlFor(pkg: PurlInput, os?: OperatingSystem): string {
  const type = PURL_TYPE[pkg.ecosystem];
  const { namespace, name } = splitName(pkg, os);
  const qualifiers: Record<string, string> = {};
  if (pkg.ecosystem !== 'npm') {
    if (pkg.arch) {
      qualifiers.arch = pkg.arch;
    }
    if (os && os.version) {
      qualifiers.distro = `${os.family}-${os.version}`;
    }
  }

  // The library validates and encodes everything but the version, which it leaves with a raw
  // `+`; the spec's permitted set has no `+` (deb-test.json: `1:2.4.47-2%2Bb1`), so the version
  // is encoded here and spliced in.
  const withoutVersion = new PackageURL(type, namespace, name, undefined, qualifiers).toString();
  const cut = withoutVersion.search(/[?#]/);
  const head = cut < 0 ? withoutVersion : withoutVersion.slice(0, cut);
  const tail = cut < 0 ? '' : withoutVersion.slice(cut);
  if (!pkg.version) {
    return withoutVersion;
  }
  return `${head}@${encodeVersion(pkg.version)}${tail}`;
}

function splitName(
  pkg: PurlInput,
  os: OperatingSystem | undefined,
): { namespace: string | undefined; name: string } {
  if (pkg.ecosystem === 'npm') {
    // `@scope/name`: the scope, `@` included, is the namespace (purl-spec npm type).
    const slash = pkg.name.indexOf('/');
    if (pkg.name.startsWith('@') && slash > 0) {
      return { namespace: pkg.name.slice(0, slash), name: pkg.name.slice(slash + 1) };
    }
    return { namespace: undefined, name: pkg.name };
  }
  return { namespace: os?.family ?? pkg.ecosystem, name: pkg.name };
}

/** Percent-encodes all but the spec's permitted characters; `:` stays (epochs: `1:2.4`). */
function encodeVersion(version: string): string {
  return encodeURIComponent(version)
    .replace(/%3A/g, ':')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
