import { z } from 'zod';

import type { Logger } from '../../core/logger.js';
import { lineOfJsonKey } from '../shared/text.js';
import type { FileWarner } from '../shared/warnings.js';
import type { AnalyzedPackage } from '../types.js';
import { isNpmVersion, licensesOf, nameFromNodeModulesPath, npmPackage } from './npm-common.js';

/**
 * The two shapes of npm lockfile entries (https://docs.npmjs.com/cli/configuring-npm/package-lock-json):
 * the `packages` map of lockfile versions 2 and 3, and the nested `dependencies` tree of version
 * 1 (which version 2 also carries, for old npm).
 */

/** One value of the `packages` map, keyed by install path (`node_modules/a/node_modules/b`). */
export const PackagesEntry = z.looseObject({
  name: z.string().optional(),
  version: z.string().optional(),
  resolved: z.string().optional(),
  link: z.boolean().optional(),
  dev: z.boolean().optional(),
  devOptional: z.boolean().optional(),
  optional: z.boolean().optional(),
});
export type PackagesEntry = z.infer<typeof PackagesEntry>;

/** One value of a v1 `dependencies` tree, keyed by the installed name. */
export const DependencyEntry = z.looseObject({
  version: z.string(),
  dev: z.boolean().optional(),
  dependencies: z.record(z.string(), z.unknown()).optional(),
});
export type DependencyEntry = z.infer<typeof DependencyEntry>;

export interface WalkContext {
  /** The lockfile text, to locate entries for warnings. */
  text: string;
  path: string;
  warn: FileWarner;
  log: Logger;
  add(pkg: AnalyzedPackage): void;
}

/**
 * Reads a v2/v3 `packages` map. The root `""` is the project itself and keys outside
 * `node_modules` are workspace or `file:` folders: neither is an installed dependency, though a
 * `link: true` entry pointing at one is, with the folder's version. `dev` and `devOptional`
 * both mean "only needed for development".
 *
 * @example
 * walkPackagesMap({ 'node_modules/lodash': { version: '4.17.15' } }, ctx); // adds lodash
 */
export function walkPackagesMap(packages: Record<string, unknown>, ctx: WalkContext): void {
  for (const [key, raw] of Object.entries(packages)) {
    // `"": { "name": "fixture-app", ... }` and `"local-lib": { "version": "0.1.0" }`
    const installName = key === '' ? undefined : nameFromNodeModulesPath(key);
    if (installName === undefined) {
      continue;
    }
    const line = () => lineOfJsonKey(ctx.text, ['packages', key]);
    const entry = PackagesEntry.safeParse(raw);
    if (!entry.success) {
      ctx.warn(
        'analyzer-entry-malformed',
        `entry "${key}" is not a lockfile entry; skipped`,
        line(),
      );
      continue;
    }

    // `"node_modules/local-lib": { "resolved": "local-lib", "link": true }`
    let target = entry.data;
    if (target.link) {
      const resolved = PackagesEntry.safeParse(packages[target.resolved ?? '']);
      if (!resolved.success) {
        ctx.log.debug(`npm lockfile: link ${key} points nowhere; skipped`);
        continue;
      }
      target = resolved.data;
    }

    // `"node_modules/my-lodash": { "name": "lodash", "version": "4.17.21" }` (an alias)
    const name = target.name ?? installName;
    if (!target.version && entry.data.link) {
      ctx.log.debug(`npm lockfile: link ${key} points to a folder without a version; skipped`);
      continue;
    }
    if (!target.version) {
      ctx.warn('analyzer-entry-malformed', `entry "${key}" has no version; skipped`, line());
      continue;
    }
    if (!isNpmVersion(target.version)) {
      ctx.log.debug(`npm lockfile: ${key} version ${target.version} is not semver; skipped`);
      continue;
    }
    // TODO: optional entries limited to other platforms (`os`/`cpu` fields) are reported though
    // npm did not install them, which can show a lockfile scan findings in unused packages.
    const dev = entry.data.dev === true || entry.data.devOptional === true;
    ctx.add(
      npmPackage({
        name,
        version: target.version,
        path: ctx.path,
        dev,
        licenses: licensesOf(target),
      }),
    );
  }
}

/**
 * Reads a v1 `dependencies` tree, recursing into nested `dependencies`. Aliases have versions
 * like `npm:lodash@4.17.21`; `file:`, git and tarball versions name no registry release and are
 * skipped.
 *
 * @example
 * walkDependencyTree({ lodash: { version: '4.17.15', dev: true } }, ctx); // adds dev lodash
 */
export function walkDependencyTree(
  dependencies: Record<string, unknown>,
  ctx: WalkContext,
  parents: readonly string[] = ['dependencies'],
): void {
  for (const [key, raw] of Object.entries(dependencies)) {
    const keys = [...parents, key];
    const entry = DependencyEntry.safeParse(raw);
    if (!entry.success) {
      const problem = `dependency "${key}" has no version or is not an object; skipped`;
      ctx.warn('analyzer-entry-malformed', problem, lineOfJsonKey(ctx.text, keys));
      continue;
    }

    // `"my-lodash": { "version": "npm:lodash@4.17.21" }`
    let { version } = entry.data;
    let name = key;
    if (version.startsWith('npm:')) {
      const spec = version.slice('npm:'.length);
      const split = spec.lastIndexOf('@');
      name = split > 0 ? spec.slice(0, split) : name;
      version = spec.slice(split + 1);
    }
    if (isNpmVersion(version)) {
      ctx.add(npmPackage({ name, version, path: ctx.path, dev: entry.data.dev === true }));
    } else {
      ctx.log.debug(`npm lockfile: ${key} version ${version} is not semver; skipped`);
    }

    if (entry.data.dependencies) {
      walkDependencyTree(entry.data.dependencies, ctx, [...keys, 'dependencies']);
    }
  }
}
