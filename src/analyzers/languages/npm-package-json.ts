import { z } from 'zod';

import { lineOfJsonKey, looksBinary, NOT_TEXT, parseJson } from '../shared/text.js';
import { fileWarner } from '../shared/warnings.js';
import type { Analyzer } from '../types.js';
import { isInstallDirName, licensesOf, npmPackage, npmVersion } from './npm-common.js';

/**
 * Installed npm packages: the `package.json` at the root of each package directory inside a
 * `node_modules` folder (`.../node_modules/<name>/package.json`,
 * `.../node_modules/@scope/<name>/package.json`). Files deeper inside a package
 * (`node_modules/x/test/package.json`) and the project's own package.json are not packages.
 * Field meanings: https://docs.npmjs.com/cli/configuring-npm/package-json.
 */

const MARKER = '/node_modules/';
const SUFFIX = '/package.json';

/** Only the fields we read; the rest of a package.json is free-form. */
export const InstalledPackageJson = z.looseObject({
  name: z.string().optional().catch(undefined),
  version: z.string().optional().catch(undefined),
});
export type InstalledPackageJson = z.infer<typeof InstalledPackageJson>;

/** The installed npm package.json analyzer; see the module comment. */
export const npmPackageJsonAnalyzer: Analyzer = {
  id: 'npm-package-json',
  group: 'language-packages',
  version: 2,
  maxFileSize: 1024 * 1024,

  matches(path) {
    // Runs on every file: the endsWith check rejects almost all of them at once.
    if (!path.endsWith(SUFFIX)) {
      return false;
    }
    const at = path.lastIndexOf(MARKER);
    if (at < 0) {
      return false;
    }
    return isInstallDirName(path.slice(at + MARKER.length, path.length - SUFFIX.length));
  },

  analyze(file, ctx) {
    const warn = fileWarner(ctx, file.path);
    const text = looksBinary(file.content) ? undefined : file.content.toString('utf8');
    const parsed = text === undefined ? NOT_TEXT : parseJson(text);
    if (!parsed.ok) {
      const problem = parsed.tooDeep
        ? 'nested too deeply to parse'
        : `not valid JSON (${parsed.message})`;
      warn('analyzer-file-unreadable', problem, parsed.line);
      return undefined;
    }
    const json = InstalledPackageJson.safeParse(parsed.value);
    if (!json.success || text === undefined) {
      warn('analyzer-file-unreadable', 'package.json is not a JSON object', 1);
      return undefined;
    }

    // `"name": "lodash", "version": "4.17.15"`; aliases install the real name's package.json
    const { name, version } = json.data;
    if (!name || !version) {
      const problem = !name ? 'no "name"' : 'no "version"';
      warn('analyzer-entry-malformed', `package.json has ${problem}; skipped`, 1);
      return undefined;
    }

    // `"version": "=1.2.5"` is read as 1.2.5; `"version": "01.2.5"` only loosely, so the
    // matcher could never compare it: say so rather than list a package nobody checks.
    const checked = npmVersion(version);
    if (checked.kind !== 'valid') {
      const message =
        checked.kind === 'loose'
          ? `package.json version "${version}" is not strict SemVer, so it cannot be matched; skipped`
          : `package.json has invalid version ${version}; skipped`;
      const line = () => lineOfJsonKey(text, ['version']) ?? 1;
      warn('analyzer-entry-malformed', message, line);
      return undefined;
    }
    const pkg = npmPackage({
      name,
      version: checked.version,
      path: file.path,
      licenses: licensesOf(json.data),
    });

    return {
      packageSets: [
        { source: 'npm-package-json', ecosystem: 'npm', path: file.path, packages: [pkg] },
      ],
    };
  },
};
