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
 * True for a JSON object (not an array or null).
 *
 * @example
 * isJsonObject({ a: 1 }); // true
 * isJsonObject([1]); // false
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A JSON object of any content, checked without copying: `z.record` would copy every key of a
 * lockfile's 200,000-entry `packages` map through a string schema, which costs more than reading
 * the entries themselves.
 */
export const JsonObject = z.custom<Record<string, unknown>>(isJsonObject);
export type JsonObject = z.infer<typeof JsonObject>;

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
    // Most entries have no licence: skip zod, whose failure result is costly to build.
    if (value === undefined) return;
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
 * How a version string from package.json or a lockfile reads as an npm release version:
 * - `valid`: SemVer 2.0.0 once surrounding spaces and a leading `=` or `v` are dropped, as npm
 *   itself cleans versions (`=1.2.5` → `1.2.5`); `version` is that cleaned form, the one the
 *   matcher's strict SemVer parser accepts.
 * - `loose`: only node-semver's loose mode reads it (`01.2.5`, `1.2.3-beta.01`). npm may have
 *   installed it, but the matcher cannot compare it, so callers warn and skip the package.
 * - `invalid`: no release version at all (git URLs, tarballs, `file:` specs, `latest`).
 */
export type NpmVersion =
  | { kind: 'valid'; version: string }
  | { kind: 'loose'; version: string }
  | { kind: 'invalid'; version: string };

/**
 * Classifies a version for inventory; see {@link NpmVersion}. Build metadata is kept
 * (`1.0.0+abc`), unlike `semver.clean`, so the reported version is the one written.
 *
 * @example
 * npmVersion('4.17.15'); // { kind: 'valid', version: '4.17.15' }
 * npmVersion('=1.2.5'); // { kind: 'valid', version: '1.2.5' }
 * npmVersion('01.2.5'); // { kind: 'loose', version: '01.2.5' }
 * npmVersion('github:lodash/lodash#abc123'); // { kind: 'invalid', ... }
 */
export function npmVersion(version: string): NpmVersion {
  const cleaned = version.trim().replace(/^[=v]+/, '');
  if (semver.valid(cleaned) !== null) {
    return { kind: 'valid', version: cleaned };
  }
  if (semver.valid(version, { loose: true }) !== null) {
    return { kind: 'loose', version };
  }
  return { kind: 'invalid', version };
}

/**
 * True for a version npm could have installed from a registry that the matcher can compare:
 * `valid` for {@link npmVersion}. Both npm analyzers decide through `npmVersion`.
 *
 * @example
 * isNpmVersion('v4.17.15'); // true
 * isNpmVersion('01.2.5'); // false
 */
export function isNpmVersion(version: string): boolean {
  return npmVersion(version).kind === 'valid';
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
