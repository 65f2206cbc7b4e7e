import { looksBinary } from '../shared/text.js';
import { fileWarner, type FileWarner } from '../shared/warnings.js';
import type { Analyzer, OsFacts } from '../types.js';

/**
 * OS release files: `/etc/os-release` and `/usr/lib/os-release` (os-release(5),
 * https://www.freedesktop.org/software/systemd/man/latest/os-release.html), `/etc/debian_version`
 * and `/etc/alpine-release` (one line each). `resolveOs` combines the facts.
 */

const OS_RELEASE_PATHS = new Set(['/etc/os-release', '/usr/lib/os-release']);
const DEBIAN_VERSION = '/etc/debian_version';
const ALPINE_RELEASE = '/etc/alpine-release';

/** os-release(5): variable names are shell identifiers. */
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses os-release(5) content into its variables. Comments and blank lines are skipped; values
 * may be unquoted, 'single-quoted' (literal) or "double-quoted" with backslash escapes. A line
 * that is not an assignment is reported and skipped.
 *
 * @example
 * parseOsRelease('ID=debian\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n');
 * // Map { 'ID' => 'debian', 'PRETTY_NAME' => 'Debian GNU/Linux 12 (bookworm)' }
 */
export function parseOsRelease(text: string, warn?: FileWarner): Map<string, string> {
  const vars = new Map<string, string>();
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    // `# comment` and blank lines
    if (line === '' || line.startsWith('#')) {
      continue;
    }

    // `VERSION_ID="12"`
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq) : '';
    const value = KEY.test(key) ? unquote(line.slice(eq + 1)) : undefined;
    if (value === undefined) {
      warn?.('analyzer-entry-malformed', 'not a KEY=value assignment; skipped', index + 1);
      continue;
    }
    vars.set(key, value);
  }
  return vars;
}

/** Shell-style word: `a"b c"'d'\ e` → `ab cd e`. Undefined when a quote is left open. */
function unquote(word: string): string | undefined {
  let out = '';
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < word.length; i += 1) {
    const c = word.charAt(i);
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else out += c;
    } else if (c === '\\' && i + 1 < word.length) {
      // `NAME="say \"hi\""`: a backslash escapes the next character
      i += 1;
      out += word.charAt(i);
    } else if (c === '"') {
      quote = quote === '"' ? undefined : '"';
    } else if (c === "'" && quote === undefined) {
      quote = "'";
    } else {
      out += c;
    }
  }
  return quote === undefined ? out : undefined;
}

function osReleaseFacts(path: string, vars: Map<string, string>): OsFacts {
  const facts: OsFacts = { path };
  const id = vars.get('ID');
  if (id) facts.id = id.toLowerCase();
  const idLike = vars.get('ID_LIKE')?.split(/\s+/).filter(Boolean);
  if (idLike?.length) facts.idLike = idLike;
  const set = (field: 'versionId' | 'name' | 'prettyName' | 'versionCodename', key: string) => {
    const value = vars.get(key);
    if (value) facts[field] = value;
  };
  set('versionId', 'VERSION_ID');
  set('name', 'NAME');
  set('prettyName', 'PRETTY_NAME');
  set('versionCodename', 'VERSION_CODENAME');
  return facts;
}

/** The OS release files analyzer; see the module comment. */
export const osReleaseAnalyzer: Analyzer = {
  id: 'os-release',
  group: 'os',
  version: 1,
  maxFileSize: 64 * 1024,
  requiredPaths: [...OS_RELEASE_PATHS, DEBIAN_VERSION, ALPINE_RELEASE],

  matches(path) {
    return OS_RELEASE_PATHS.has(path) || path === DEBIAN_VERSION || path === ALPINE_RELEASE;
  },

  analyze(file, ctx) {
    const warn = fileWarner(ctx, file.path);
    if (looksBinary(file.content)) {
      warn('analyzer-file-unreadable', 'not a text file; OS facts from it are ignored');
      return undefined;
    }
    const text = file.content.toString('utf8');

    if (OS_RELEASE_PATHS.has(file.path)) {
      return { os: osReleaseFacts(file.path, parseOsRelease(text, warn)) };
    }

    // `12.8` or `bookworm/sid` (debian_version), `3.20.3` (alpine-release): the first line
    const firstLine = text.split('\n', 1)[0]?.trim() ?? '';
    if (firstLine === '') {
      warn('analyzer-file-unreadable', 'file is empty; OS facts from it are ignored', 1);
      return undefined;
    }
    if (file.path === DEBIAN_VERSION) {
      return { os: { path: file.path, debianVersion: firstLine } };
    }
    return { os: { path: file.path, alpineRelease: firstLine } };
  },
};
