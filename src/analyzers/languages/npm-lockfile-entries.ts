import { z } from 'zod';

import type { Logger } from '../../core/logger.js';
import type { FileWarner } from '../shared/warnings.js';
import type { AnalyzedPackage } from '../types.js';
import {
  isJsonObject,
  JsonObject,
  licensesOf,
  nameFromNodeModulesPath,
  npmPackage,
  npmVersion,
} from './npm-common.js';

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
  dependencies: JsonObject.optional(),
});
export type DependencyEntry = z.infer<typeof DependencyEntry>;

export interface WalkContext {
  /** Finds the line of a key path in the lockfile, for warnings; called only for kept ones. */
  lineOfKey(keys: readonly string[]): number | undefined;
  path: string;
  warn: FileWarner;
  log: Logger;
  add(pkg: AnalyzedPackage): void;
}

/** Entries read from one lockfile; the rest are counted and reported as not read. */
export const MAX_LOCKFILE_ENTRIES = 200_000;

/** How far a walk got: entries handed on, and entries past the cap that were only counted. */
export interface WalkSummary {
  read: number;
  notRead: number;
}

/**
 * The version of an entry as inventory reports it, or undefined when it is skipped: `loose`
 * versions get a warning (npm installed something the matcher cannot compare, and the user
 * should know it is not checked), other non-release versions (git, tarball, `file:`) only a
 * debug line, since they are expected and name no registry release.
 */
function releaseVersion(
  key: string,
  version: string,
  ctx: WalkContext,
  line: () => number | undefined,
): string | undefined {
  const checked = npmVersion(version);
  if (checked.kind === 'valid') {
    return checked.version;
  }
  if (checked.kind === 'loose') {
    const problem = `entry "${key}" version "${version}" is not strict SemVer, so it cannot be matched; skipped`;
    ctx.warn('analyzer-entry-malformed', problem, line);
    return undefined;
  }
  ctx.log.debug(`npm lockfile: ${key} version ${version} is not semver; skipped`);
  return undefined;
}

/**
 * Reads a v2/v3 `packages` map. The root `""` is the project itself and keys outside
 * `node_modules` are workspace or `file:` folders: neither is an installed dependency, though a
 * `link: true` entry pointing at one is, with the folder's version. `dev` and `devOptional`
 * both mean "only needed for development". At most `maxEntries` keys are looked at.
 *
 * @example
 * walkPackagesMap({ 'node_modules/lodash': { version: '4.17.15' } }, ctx); // adds lodash
 */
export function walkPackagesMap(
  packages: Record<string, unknown>,
  ctx: WalkContext,
  maxEntries = MAX_LOCKFILE_ENTRIES,
): WalkSummary {
  const keys = Object.keys(packages);
  const summary: WalkSummary = {
    read: Math.min(keys.length, maxEntries),
    notRead: Math.max(0, keys.length - maxEntries),
  };
  for (const key of keys.slice(0, maxEntries)) {
    // `"": { "name": "fixture-app", ... }` and `"local-lib": { "version": "0.1.0" }`
    const installName = key === '' ? undefined : nameFromNodeModulesPath(key);
    if (installName === undefined) {
      continue;
    }
    const line = () => ctx.lineOfKey(['packages', key]);
    const raw = packages[key];
    // The object check first: a file of 200,000 `"node_modules/a": 1` would otherwise build as
    // many zod errors, only to drop them.
    const entry = isJsonObject(raw) ? PackagesEntry.safeParse(raw) : undefined;
    if (!entry?.success) {
      ctx.warn('analyzer-entry-malformed', `entry "${key}" is not a lockfile entry; skipped`, line);
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
      ctx.warn('analyzer-entry-malformed', `entry "${key}" has no version; skipped`, line);
      continue;
    }
    const version = releaseVersion(key, target.version, ctx, line);
    if (version === undefined) {
      continue;
    }
    // TODO: optional entries limited to other platforms (`os`/`cpu` fields) are reported though
    // npm did not install them, which can show a lockfile scan findings in unused packages.
    const dev = entry.data.dev === true || entry.data.devOptional === true;
    ctx.add(npmPackage({ name, version, path: ctx.path, dev, licenses: licensesOf(target) }));
  }
  return summary;
}

/** A key path from the top of a v1 tree, shared between siblings instead of copied per entry. */
interface KeyPath {
  key: string;
  parent: KeyPath | undefined;
}

/** The keys of a path, outermost first: `['dependencies', 'a', 'dependencies', 'b']`. */
function keysOf(path: KeyPath | undefined): string[] {
  const keys: string[] = [];
  for (let at = path; at !== undefined; at = at.parent) keys.push(at.key);
  return keys.reverse();
}

/** One open `dependencies` object of the walk: its remaining entries and where it sits. */
interface TreeLevel {
  entries: Iterator<[string, unknown]>;
  path: KeyPath;
}

/** The nested `dependencies` of a raw entry, when it has an object there. */
function childrenOf(raw: unknown): Record<string, unknown> | undefined {
  const children = isJsonObject(raw) ? raw.dependencies : undefined;
  return isJsonObject(children) ? children : undefined;
}

/**
 * Reads a v1 `dependencies` tree, depth first in file order, with an explicit stack: a tree
 * nested thousands of levels deep costs memory, not call stack. Aliases have versions like
 * `npm:lodash@4.17.21`; `file:`, git and tarball versions name no registry release and are
 * skipped. At most `maxEntries` entries are read; the rest are only counted.
 *
 * @example
 * walkDependencyTree({ lodash: { version: '4.17.15', dev: true } }, ctx); // adds dev lodash
 */
export function walkDependencyTree(
  dependencies: Record<string, unknown>,
  ctx: WalkContext,
  maxEntries = MAX_LOCKFILE_ENTRIES,
): WalkSummary {
  const summary: WalkSummary = { read: 0, notRead: 0 };
  const root: KeyPath = { key: 'dependencies', parent: undefined };
  const stack: TreeLevel[] = [
    { entries: Object.entries(dependencies)[Symbol.iterator](), path: root },
  ];

  for (let level = stack.at(-1); level !== undefined; level = stack.at(-1)) {
    const next = level.entries.next();
    if (next.done === true) {
      stack.pop();
      continue;
    }
    const [key, raw] = next.value;
    const here: KeyPath = { key, parent: level.path };
    const children = childrenOf(raw);
    const enter = () => {
      if (children === undefined) return;
      const path: KeyPath = { key: 'dependencies', parent: here };
      stack.push({ entries: Object.entries(children)[Symbol.iterator](), path });
    };

    // Past the cap: count the rest of the tree without reading it.
    if (summary.read >= maxEntries) {
      summary.notRead += 1;
      enter();
      continue;
    }
    summary.read += 1;

    const line = () => ctx.lineOfKey(keysOf(here));
    const entry = isJsonObject(raw) ? DependencyEntry.safeParse(raw) : undefined;
    if (!entry?.success) {
      const problem = `dependency "${key}" has no version or is not an object; skipped`;
      ctx.warn('analyzer-entry-malformed', problem, line);
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
    const release = releaseVersion(key, version, ctx, line);
    if (release !== undefined) {
      ctx.add(npmPackage({ name, version: release, path: ctx.path, dev: entry.data.dev === true }));
    }
    enter();
  }
  return summary;
}
