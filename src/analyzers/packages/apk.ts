import { purlFor } from '../../inventory/purl.js';
import { forEachLine, looksBinary } from '../shared/text.js';
import { fileWarner, warnEntriesNotRead, type FileWarner } from '../shared/warnings.js';
import type { AnalyzedPackage, Analyzer } from '../types.js';

/**
 * Installed Alpine packages from apk-tools' database `/lib/apk/db/installed`: records separated
 * by blank lines, one `X:value` field per line (field letters:
 * https://wiki.alpinelinux.org/wiki/Apk_spec). `P:` name, `V:` version, `A:` arch, `o:` origin
 * (the aport, i.e. the source package Alpine's secdb names), `L:` licence. File lines (`F:`,
 * `R:`, `a:`, `Z:`) and the rest are ignored.
 *
 * A real database is a few MB. Larger files are not read (the walker warns), and at most
 * {@link MAX_PACKAGES} records of one file are, with a warning saying how many were left.
 */

const INSTALLED = '/lib/apk/db/installed';

/** Records read from the database; the rest are counted and reported as not read. */
export const MAX_PACKAGES = 50_000;

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

/** What {@link parseApkInstalled} found: the packages, and the records past the cap. */
export interface ApkParseResult {
  packages: AnalyzedPackage[];
  notRead: number;
}

/**
 * Parses the installed database into packages, warning about malformed records. Streams over
 * the lines and keeps only the fields of the record being read. Records after `maxRecords`
 * are counted, not parsed.
 *
 * @example
 * parseApkInstalled('P:musl\nV:1.2.5-r0\nA:x86_64\no:musl\n', '/lib/apk/db/installed', warn);
 * // { packages: [{ name: 'musl', version: '1.2.5-r0', sourceName: 'musl', ... }], notRead: 0 }
 */
export function parseApkInstalled(
  text: string,
  path: string,
  warn: FileWarner,
  maxRecords = MAX_PACKAGES,
): ApkParseResult {
  const result: ApkParseResult = { packages: [], notRead: 0 };
  let records = 0;
  let record: RecordFields | undefined;
  /** Past the cap, whether the current run of non-blank lines was already counted. */
  let counted = false;
  const flush = () => {
    const pkg = record && toPackage(record, path, warn);
    if (pkg) result.packages.push(pkg);
    record = undefined;
    counted = false;
  };

  forEachLine(text, (line, lineNo) => {
    // `` (blank line): end of record
    if (line.trim() === '') {
      flush();
      return;
    }
    // Past the cap: only count where records start.
    if (records >= maxRecords && record === undefined) {
      if (!counted) result.notRead += 1;
      counted = true;
      return;
    }
    // `P:musl`: a letter, a colon, the value
    if (line.length < 2 || line.charAt(1) !== ':') {
      warn('analyzer-entry-malformed', 'line is not an "X:value" field; skipped', lineNo);
      return;
    }
    if (record === undefined) {
      record = { line: lineNo };
      records += 1;
    }
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
  });
  flush();
  return result;
}

/** The apk installed-database analyzer; see the module comment. */
export const apkAnalyzer: Analyzer = {
  id: 'apk',
  group: 'os-packages',
  version: 2,
  maxFileSize: 32 * 1024 * 1024,
  requiredPaths: [INSTALLED],

  matches(path) {
    return path === INSTALLED;
  },

  analyze(file, ctx) {
    const warn = fileWarner(ctx, file.path);
    if (looksBinary(file.content)) {
      warn('analyzer-file-unreadable', 'not a text file; no packages read from it');
      return undefined;
    }

    const text = file.content.toString('utf8');
    const { packages, notRead } = parseApkInstalled(text, file.path, warn);
    if (notRead > 0) {
      warnEntriesNotRead(ctx, file.path, { what: 'packages', limit: MAX_PACKAGES, notRead });
    }
    ctx.log.debug(`apk: ${packages.length} packages in ${file.path}`);

    return {
      packageSets: [{ source: 'apk-installed', ecosystem: 'alpine', path: file.path, packages }],
    };
  },
};
