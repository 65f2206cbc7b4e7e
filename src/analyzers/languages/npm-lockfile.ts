import { z } from 'zod';

import { jsonKeyLocator, looksBinary, NOT_TEXT, parseJson } from '../shared/text.js';
import { fileWarner, warnEntriesNotRead } from '../shared/warnings.js';
import type { AnalyzedPackage, Analyzer, PackageSource } from '../types.js';
import { JsonObject } from './npm-common.js';
import {
  MAX_LOCKFILE_ENTRIES,
  walkDependencyTree,
  walkPackagesMap,
  type WalkContext,
  type WalkSummary,
} from './npm-lockfile-entries.js';

/**
 * npm lockfiles (https://docs.npmjs.com/cli/configuring-npm/package-lock-json):
 * `package-lock.json` and `npm-shrinkwrap.json` of a project (not those published inside
 * `node_modules`, which npm ignores), versions 1, 2 and 3; and the hidden lockfile
 * `node_modules/.package-lock.json` npm 7+ keeps of what is installed, tagged
 * `npm-hidden-lockfile` so the pipeline can flag dev packages found in `node_modules`.
 * At most `MAX_LOCKFILE_ENTRIES` entries of one lockfile are read, with a warning saying how
 * many were left.
 */

const LOCKFILE_NAMES = ['/package-lock.json', '/npm-shrinkwrap.json'];
const HIDDEN = '/node_modules/.package-lock.json';
const NODE_MODULES = '/node_modules/';
const KNOWN_VERSIONS = new Set([1, 2, 3]);

/** The top of a lockfile; entries are checked one by one so one bad entry skips only itself. */
export const PackageLock = z.looseObject({
  lockfileVersion: z.unknown(),
  packages: JsonObject.optional(),
  dependencies: JsonObject.optional(),
});
export type PackageLock = z.infer<typeof PackageLock>;

/** True when the path is a hidden lockfile directly in a project's top `node_modules`. */
function isHidden(path: string): boolean {
  return path.endsWith(HIDDEN) && path.indexOf(NODE_MODULES) === path.length - HIDDEN.length;
}

/** The npm lockfile analyzer; see the module comment. */
export const npmLockfileAnalyzer: Analyzer = {
  id: 'npm-lockfile',
  group: 'language-packages',
  version: 2,
  maxFileSize: 64 * 1024 * 1024,

  matches(path) {
    if (path.endsWith(HIDDEN)) {
      return isHidden(path);
    }
    return LOCKFILE_NAMES.some((name) => path.endsWith(name)) && !path.includes(NODE_MODULES);
  },

  analyze(file, ctx) {
    const warn = fileWarner(ctx, file.path);
    const text = looksBinary(file.content) ? undefined : file.content.toString('utf8');
    const parsed = text === undefined ? NOT_TEXT : parseJson(text);
    if (!parsed.ok && parsed.tooDeep) {
      warn('analyzer-file-unreadable', 'lockfile is nested too deeply to parse; skipped');
      return undefined;
    }
    if (!parsed.ok) {
      warn(
        'analyzer-file-unreadable',
        `lockfile is not valid JSON (${parsed.message})`,
        parsed.line,
      );
      return undefined;
    }
    const lock = PackageLock.safeParse(parsed.value);
    if (!lock.success || text === undefined) {
      warn('analyzer-file-unreadable', 'lockfile is not a JSON object of the npm shape', 1);
      return undefined;
    }

    // `"lockfileVersion": 3`; npm 5 and 6 wrote 1, npm 7 and 8 wrote 2, npm 9+ writes 3
    const version = lock.data.lockfileVersion ?? 1;
    const lineOfKey = jsonKeyLocator(text);
    if (typeof version !== 'number' || !KNOWN_VERSIONS.has(version)) {
      const line = lineOfKey(['lockfileVersion']);
      const message = `lockfileVersion ${JSON.stringify(version)} is not 1, 2 or 3; file skipped`;
      warn('analyzer-format-unsupported', message, line);
      return undefined;
    }

    const source: PackageSource = isHidden(file.path) ? 'npm-hidden-lockfile' : 'npm-lockfile';
    const byId = new Map<string, AnalyzedPackage>();
    const walk: WalkContext = {
      lineOfKey,
      path: file.path,
      warn,
      log: ctx.log,
      add(pkg) {
        // One release installed at several paths is one package; dev only if every copy is.
        const seen = byId.get(`${pkg.name}@${pkg.version}`);
        if (seen === undefined) byId.set(`${pkg.name}@${pkg.version}`, pkg);
        else if (!pkg.dev) seen.dev = false;
      },
    };
    let walked: WalkSummary | undefined;
    if (version >= 2 && lock.data.packages) {
      walked = walkPackagesMap(lock.data.packages, walk);
    } else if (lock.data.dependencies) {
      walked = walkDependencyTree(lock.data.dependencies, walk);
    }
    if (walked !== undefined && walked.notRead > 0) {
      const cap = { what: 'entries', limit: MAX_LOCKFILE_ENTRIES, notRead: walked.notRead };
      warnEntriesNotRead(ctx, file.path, cap);
    }
    const packages = [...byId.values()];
    ctx.log.debug(`npm lockfile: ${packages.length} packages in ${file.path}`);

    return { packageSets: [{ source, ecosystem: 'npm', path: file.path, packages }] };
  },
};
