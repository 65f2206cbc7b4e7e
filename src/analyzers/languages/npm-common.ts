import semver from 'semver';
import { z } from 'zod';

import { purlFor } from '../../inventory/purl.js';
import type { AnalyzedPackage } from '../types.js';

/**
 * Pieces shared by the npm analyzers: version checks, licence fields and package building.
 * package.json fields: https://docs.npmjs.com/cli/configuring-npm/package-json.
 */

/**
 * A licence as package.json states it: an SPDX expression string (`"MIT"`), or the deprecated
 * `{ "type": "MIT", "url": ... }` object and `licenses` array. Anything else is ignored.
 */
export const NpmLicense = z.union([z.string(), z.looseObject({ type: z.string() })]);
export type NpmLicense = z.infer<typeof NpmLicense>;

/**
 * The licences of a package.json or lockfile entry, from `license` or the legacy `licenses`.
 *
 * @example
 * licensesOf({ license: 'MIT' }); // ['MIT']
 * licensesOf({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] }); // ['MIT', 'Apache-2.0']
 */
export function licensesOf(entry: Record<string, unknown>): string[] | undefined {
  const out: string[] = [];
  const add = (value: unknown) => {
    const parsed = NpmLicense.safeParse(value);
    if (!parsed.success) return;
    const text = typeof parsed.data === 'string' ? parsed.data : parsed.data.type;
    if (text.trim() !== '') out.push(text.trim());
  };
  add(entry.license);
  if (Array.isArray(entry.licenses)) {
    for (const item of entry.licenses) add(item);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * True for a version npm could have installed from a registry: valid semver (loose, as npm
 * accepts `v1.2.3`). Git URLs, tarball URLs and `file:` specs are not.
 *
 * @example
 * isNpmVersion('4.17.15'); // true
 * isNpmVersion('github:lodash/lodash#abc123'); // false
 */
export function isNpmVersion(version: string): boolean {
  return semver.valid(version, { loose: true }) !== null;
}

/** The facts needed to build an npm package. */
export interface NpmPackageFacts {
  name: string;
  version: string;
  path: string;
  dev?: boolean;
  licenses?: string[] | undefined;
}

/**
 * Builds an npm inventory package with its purl (scope as namespace).
 *
 * @example
 * npmPackage({ name: '@types/semver', version: '7.5.8', path: '/app/package-lock.json' });
 * // { name: '@types/semver', ..., purl: 'pkg:npm/%40types/semver@7.5.8' }
 */
export function npmPackage(facts: NpmPackageFacts): AnalyzedPackage {
  const pkg: AnalyzedPackage = {
    name: facts.name,
    version: facts.version,
    ecosystem: 'npm',
    purl: '',
    path: facts.path,
  };
  if (facts.dev !== undefined) pkg.dev = facts.dev;
  if (facts.licenses) pkg.licenses = facts.licenses;
  pkg.purl = purlFor(pkg);
  return pkg;
}

/**
 * The package name a `node_modules/...` path installs: its last `node_modules/` segment.
 *
 * @example
 * nameFromNodeModulesPath('node_modules/a/node_modules/@scope/b'); // '@scope/b'
 * nameFromNodeModulesPath('packages/app'); // undefined
 */
export function nameFromNodeModulesPath(path: string): string | undefined {
  const marker = 'node_modules/';
  const at = path.lastIndexOf(marker);
  if (at < 0 || (at > 0 && path.charAt(at - 1) !== '/')) {
    return undefined;
  }
  const name = path.slice(at + marker.length);
  return isInstallDirName(name) ? name : undefined;
}

/**
 * True for the name of a package directory directly inside `node_modules`.
 *
 * @example
 * isInstallDirName('@scope/name'); // true
 * isInstallDirName('.bin'); // false
 * isInstallDirName('lodash/fp'); // false
 */
export function isInstallDirName(name: string): boolean {
  const parts = name.split('/');
  const valid = (part: string | undefined) =>
    part !== undefined && part !== '' && !part.startsWith('.');
  if (parts.length === 1) {
    return valid(parts[0]) && !name.startsWith('@');
  }
  return parts.length === 2 && name.startsWith('@') && parts[0] !== '@' && valid(parts[1]);
}
