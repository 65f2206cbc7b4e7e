import { purlFor } from '../../inventory/purl.js';
import { looksBinary } from '../shared/text.js';
import { fileWarner, warnEntriesNotRead, type FileWarner } from '../shared/warnings.js';
import type { AnalyzedPackage, Analyzer, PackageSource } from '../types.js';
import { readDeb822, type Paragraph } from './deb822.js';

/**
 * Installed Debian packages from dpkg's database: `/var/lib/dpkg/status` (dpkg(1), FILES) and
 * distroless images' `/var/lib/dpkg/status.d/<package>` files (one paragraph each, no Status).
 *
 * A package is reported when its Status (`want eflag status`, dpkg(1) "PACKAGE STATES") says
 * any of its files are on disk: every state but `not-installed` and `config-files`. That is what
 * `dpkg-query -W` lists minus `config-files` entries, which keep only conffiles: reporting them
 * would raise vulnerabilities in code that is gone.
 *
 * Real status files are a few MB for a few thousand packages. Larger files are not read (the
 * walker warns), and at most {@link MAX_PACKAGES} paragraphs of one file are, with a warning
 * saying how many were left: past that the file is not a real database, and reading it all would
 * cost gigabytes and a report too large to write.
 */

const STATUS = '/var/lib/dpkg/status';
const STATUS_D = '/var/lib/dpkg/status.d/';

/** Paragraphs read from one database file; the rest are counted and reported as not read. */
export const MAX_PACKAGES = 50_000;

/** The only fields `toPackage` reads; the reader drops the others as it goes. */
const FIELDS: ReadonlySet<string> = new Set([
  'package',
  'status',
  'version',
  'source',
  'architecture',
]);

const PRESENT_STATES = new Set([
  'installed',
  'half-installed',
  'unpacked',
  'half-configured',
  'triggers-awaited',
  'triggers-pending',
]);
const ABSENT_STATES = new Set(['not-installed', 'config-files']);

/** Debian Policy §5.6.12: `[epoch:]upstream_version[-debian_revision]`, upstream from a digit. */
const DEB_VERSION = /^(\d+:)?[0-9][A-Za-z0-9.+~:-]*$/;
/** `util-linux (2.38.1-5+deb12u3)` or `util-linux` */
const SOURCE = /^(\S+)(?:\s+\((\S+)\))?$/;

/**
 * Turns one status paragraph into a package, or undefined (with a warning when it is malformed,
 * silently when it is simply not installed).
 *
 * @example
 * toPackage(paragraph('Package: libc6\nStatus: install ok installed\nVersion: 2.36-9'), path, w);
 * // { name: 'libc6', version: '2.36-9', sourceName: 'libc6', sourceVersion: '2.36-9', ... }
 */
function toPackage(
  paragraph: Paragraph,
  path: string,
  warn: FileWarner,
  statusRequired = true,
): AnalyzedPackage | undefined {
  const { fields, line } = paragraph;
  const name = fields.get('package');
  if (!name) {
    warn('analyzer-entry-malformed', 'paragraph has no Package field; skipped', line);
    return undefined;
  }

  // `Status: install ok installed`; distroless status.d files carry none
  const status = fields.get('status');
  if (status !== undefined || statusRequired) {
    const state = status?.split(/\s+/)[2];
    if (state === undefined || (!PRESENT_STATES.has(state) && !ABSENT_STATES.has(state))) {
      warn('analyzer-entry-malformed', `package ${name}: unreadable Status; skipped`, line);
      return undefined;
    }
    if (ABSENT_STATES.has(state)) {
      return undefined;
    }
  }

  const version = fields.get('version');
  if (!version || !DEB_VERSION.test(version)) {
    const problem = version ? `invalid Version "${version}"` : 'no Version';
    warn('analyzer-entry-malformed', `package ${name}: ${problem}; skipped`, line);
    return undefined;
  }

  // `Source: util-linux (2.38.1-5+deb12u3)`: the binary was built from another source version
  const source = SOURCE.exec(fields.get('source') ?? '');
  const arch = fields.get('architecture');
  const pkg: AnalyzedPackage = {
    name,
    version,
    ecosystem: 'debian',
    purl: '',
    path,
    sourceName: source?.[1] ?? name,
    sourceVersion: source?.[2] ?? version,
  };
  if (arch) pkg.arch = arch;
  pkg.purl = purlFor(pkg);
  return pkg;
}

/** The dpkg database analyzer; see the module comment. */
export const dpkgAnalyzer: Analyzer = {
  id: 'dpkg',
  group: 'os-packages',
  version: 2,
  maxFileSize: 32 * 1024 * 1024,
  requiredPaths: [STATUS],

  matches(path) {
    if (path === STATUS) {
      return true;
    }
    if (!path.startsWith(STATUS_D) || path.endsWith('.md5sums')) {
      return false;
    }
    // `/var/lib/dpkg/status.d/base-files`, not deeper
    return path.indexOf('/', STATUS_D.length) < 0 && path.length > STATUS_D.length;
  },

  analyze(file, ctx) {
    const warn = fileWarner(ctx, file.path);
    if (looksBinary(file.content)) {
      warn('analyzer-file-unreadable', 'not a text file; no packages read from it');
      return undefined;
    }
    const source: PackageSource = file.path === STATUS ? 'dpkg-status' : 'dpkg-status.d';
    const statusRequired = source === 'dpkg-status';

    const packages: AnalyzedPackage[] = [];
    const options = { fields: FIELDS, maxParagraphs: MAX_PACKAGES };
    const { notRead } = readDeb822(file.content.toString('utf8'), options, warn, (paragraph) => {
      const pkg = toPackage(paragraph, file.path, warn, statusRequired);
      if (pkg) packages.push(pkg);
    });
    if (notRead > 0) {
      warnEntriesNotRead(ctx, file.path, { what: 'packages', limit: MAX_PACKAGES, notRead });
    }
    ctx.log.debug(`dpkg: ${packages.length} packages in ${file.path}`);

    return { packageSets: [{ source, ecosystem: 'debian', path: file.path, packages }] };
  },
};
