import { forEachLine } from '../shared/text.js';
import type { FileWarner } from '../shared/warnings.js';

/**
 * Debian control-file syntax (deb822(5); Debian Policy §5.1, "Syntax of control files"), as
 * dpkg writes `/var/lib/dpkg/status`: paragraphs separated by blank lines, each a list of
 * `Field: value` lines, a value continued on following lines that start with a space or tab.
 *
 * The reader streams over lines and keeps only the fields the caller asks for: a status file
 * holds long `Description` and `Conffiles` values nobody here needs, and keeping every field of
 * every paragraph made a large file cost many times its size in memory.
 */

export interface Paragraph {
  /** Wanted values by lower-cased field name (`package`): deb822 names are case-insensitive. */
  fields: Map<string, string>;
  /** 1-based line where the paragraph starts, for warnings. */
  line: number;
}

export interface Deb822Options {
  /** Lower-cased names of the fields to keep; the others are checked for syntax, then dropped. */
  fields: ReadonlySet<string>;
  /** Paragraphs handed to `visit` at most; the rest are only counted. */
  maxParagraphs?: number;
}

export interface Deb822Summary {
  /** Paragraphs handed to `visit`. */
  read: number;
  /** Paragraphs after `maxParagraphs`, counted but not parsed. */
  notRead: number;
}

/**
 * Reads deb822 text paragraph by paragraph, calling `visit` once each paragraph is complete. A
 * line that is neither a field nor a continuation is reported through `warn` and skipped; the
 * rest of its paragraph is kept.
 *
 * @example
 * readDeb822('Package: zlib1g\nVersion: 1:1.2.13.dfsg-1\n\nPackage: bash\n',
 *   { fields: new Set(['package']) }, warn, (p) => names.push(p.fields.get('package')));
 * // names: ['zlib1g', 'bash']; returns { read: 2, notRead: 0 }
 */
export function readDeb822(
  text: string,
  options: Deb822Options,
  warn: FileWarner,
  visit: (paragraph: Paragraph) => void,
): Deb822Summary {
  const max = options.maxParagraphs ?? Number.POSITIVE_INFINITY;
  const summary: Deb822Summary = { read: 0, notRead: 0 };
  let current: Paragraph | undefined;
  /** The field the last line belonged to, undefined when it is not kept. */
  let lastKey: string | undefined;
  /** Whether the last line was a field line or its continuation (kept or not). */
  let inField = false;
  /** Past the cap, whether the current run of non-blank lines was already counted. */
  let counted = false;

  const finish = () => {
    if (current !== undefined) visit(current);
    current = undefined;
    lastKey = undefined;
    inField = false;
    counted = false;
  };

  forEachLine(text, (line, lineNo) => {
    // `` (blank line, or only spaces and tabs): ends the paragraph
    if (isBlank(line)) {
      finish();
      return;
    }

    // Past the cap: only count where paragraphs start, with no parsing and no warnings.
    if (summary.read >= max && current === undefined) {
      if (!counted) summary.notRead += 1;
      counted = true;
      return;
    }

    // ` /etc/bash.bashrc 89269e1298235f1b12b4c16e4065ad0d` (continuation of Conffiles)
    const first = line.charCodeAt(0);
    if (first === 32 || first === 9) {
      if (!inField) {
        warn('analyzer-entry-malformed', 'continuation line outside a field; skipped', lineNo);
        return;
      }
      if (current !== undefined && lastKey !== undefined) {
        current.fields.set(lastKey, `${current.fields.get(lastKey) ?? ''}\n${line.trim()}`);
      }
      return;
    }

    // `Version: 5.2.15-2+b7`
    const colon = line.indexOf(':');
    if (colon <= 0 || /\s/.test(line.slice(0, colon))) {
      warn('analyzer-entry-malformed', 'line is not a "Field: value" pair; skipped', lineNo);
      return;
    }
    if (current === undefined) {
      current = { fields: new Map(), line: lineNo };
      summary.read += 1;
    }
    const key = line.slice(0, colon).toLowerCase();
    inField = true;
    lastKey = options.fields.has(key) ? key : undefined;
    if (lastKey !== undefined) current.fields.set(lastKey, line.slice(colon + 1).trim());
  });
  finish();

  return summary;
}

/** True for an empty line or one of only spaces and tabs (deb822(5): a paragraph separator). */
function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i += 1) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}
