import { purlFor } from '../../inventory/purl.js';
import { looksBinary } from '../shared/text.js';
import { fileWarner, type FileWarner } from '../shared/warnings.js';
import type { AnalyzedPackage, Analyzer } from '../types.js';

/**
 * Installed Alpine packages from apk-tools' database `/lib/apk/db/installed`: records separated
 * by blank lines, one `X:value` field per line (field letters:
 * https://wiki.alpinelinux.org/wiki/Apk_spec). `P:` name, `V:` version, `A:` arch, `o:` origin
 * (the aport, i.e. the source package Alpine's secdb names), `L:` licence. File lines (`F:`,
 * `R:`, `a:`, `Z:`) and the rest are ignored.
 */

const INSTALLED = '/lib/apk/db/installed';

/** apk versions start with a digit: `1.2.5-r0`, `20240705-r0`, `2.9.11_pre20061021-r2`. */
const APK_VERSION = /^[0-9][A-Za-z0-9._+~-]*$/;

interface RecordFields {
  line: number;
  name?: string;
  version?: string;
  arch?: string;
  origin?: string;
  license?: string;
}

function toPackage(
  record: RecordFields,
  path: string,
  warn: FileWarner,
): AnalyzedPackage | undefined {
  const { name, version, line } = record;
  if (!name) {
    warn('analyzer-entry-malformed', 'record has no P: (name) field; skipped', line);
    return undefined;
  }
  if (!version || !APK_VERSION.test(version)) {
    const problem = version ? `invalid V: "${version}"` : 'no V: (version) field';
    warn('analyzer-entry-malformed', `package ${name}: ${problem}; skipped`, line);
    return undefined;
  }

  const pkg: AnalyzedPackage = {
    name,
    version,
    ecosystem: 'alpine',
    purl: '',
    path,
    // The origin is built at the same version as all its subpackages.
    sourceName: record.origin ?? name,
    sourceVersion: version,
  };
  if (record.arch) pkg.arch = record.arch;
  // `L:MPL-2.0 AND MIT` is one SPDX-style expression; kept whole.
  if (record.license) pkg.licenses = [record.license];
  pkg.purl = purlFor(pkg);
  return pkg;
}

/**
 * Parses the installed database into packages, warning about malformed records.
 *
 * @example
 * parseApkInstalled('P:musl\nV:1.2.5-r0\nA:x86_64\no:musl\n', '/lib/apk/db/installed', warn);
 * // [{ name: 'musl', version: '1.2.5-r0', arch: 'x86_64', sourceName: 'musl', ... }]
 */
export function parseApkInstalled(text: string, path: string, warn: FileWarner): AnalyzedPackage[] {
  const packages: AnalyzedPackage[] = [];
  let record: RecordFields | undefined;
  const flush = () => {
    const pkg = record && toPackage(record, path, warn);
    if (pkg) packages.push(pkg);
    record = undefined;
  };

  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // `` (blank line): end of record
    if (line.trim() === '') {
      flush();
      continue;
    }
    // `P:musl`: a letter, a colon, the value
    if (line.length < 2 || line.charAt(1) !== ':') {
      warn('analyzer-entry-malformed', 'line is not an "X:value" field; skipped', index + 1);
      continue;
    }
    record ??= { line: index + 1 };
    const value = line.slice(2);
    switch (line.charAt(0)) {
      case 'P': // `P:libcrypto3`
        record.name = value;
        break;
      case 'V': // `V:3.3.2-r0`
        record.version = value;
        break;
      case 'A': // `A:x86_64`
        record.arch = value;
        break;
      case 'o': // `o:openssl`
        record.origin = value;
        break;
      case 'L': // `L:Apache-2.0`
        record.license = value;
        break;
    }
  }
  flush();
  return packages;
}

/** The apk installed-database analyzer; see the module comment. */
export const apkAnalyzer: Analyzer = {
  id: 'apk',
  group: 'os-packages',
  version: 1,
  maxFileSize: 64 * 1024 * 1024,

  matches(path) {
    return path === INSTALLED;
  },

  analyze(file, ctx) {
    const warn = fileWarner(ctx, file.path);
    if (looksBinary(file.content)) {
      warn('analyzer-file-unreadable', 'not a text file; no packages read from it');
      return undefined;
    }

    const packages = parseApkInstalled(file.content.toString('utf8'), file.path, warn);
    ctx.log.debug(`apk: ${packages.length} packages in ${file.path}`);

    return {
      packageSets: [{ source: 'apk-installed', ecosystem: 'alpine', path: file.path, packages }],
    };
  },
};
