import type { FileWarner } from '../shared/warnings.js';

/**
 * Debian control-file syntax (deb822(5); Debian Policy §5.1, "Syntax of control files"), as
 * dpkg writes `/var/lib/dpkg/status`: paragraphs separated by blank lines, each a list of
 * `Field: value` lines, a value continued on following lines that start with a space or tab.
 */

export interface Paragraph {
  /** Values by lower-cased field name (`package`): deb822 field names are case-insensitive. */
  fields: Map<string, string>;
  /** 1-based line where the paragraph starts, for warnings. */
  line: number;
}

/**
 * Splits deb822 text into paragraphs. A line that is neither a field nor a continuation is
 * reported through `warn` and skipped; the rest of its paragraph is kept.
 *
 * @example
 * parseDeb822('Package: zlib1g\nVersion: 1:1.2.13.dfsg-1\n\nPackage: bash\n');
 * // [{ fields: Map { 'package' => 'zlib1g', 'version' => '1:1.2.13.dfsg-1' }, line: 1 },
 * //  { fields: Map { 'package' => 'bash' }, line: 4 }]
 */
export function parseDeb822(text: string, warn: FileWarner): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: Paragraph | undefined;
  let lastKey: string | undefined;

  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const lineNo = index + 1;

    // `` (blank line): ends the paragraph
    if (line.trim() === '') {
      current = undefined;
      lastKey = undefined;
      continue;
    }

    // ` /etc/bash.bashrc 89269e1298235f1b12b4c16e4065ad0d` (continuation of Conffiles)
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (current === undefined || lastKey === undefined) {
        warn('analyzer-entry-malformed', 'continuation line outside a field; skipped', lineNo);
        continue;
      }
      current.fields.set(lastKey, `${current.fields.get(lastKey) ?? ''}\n${line.trim()}`);
      continue;
    }

    // `Version: 5.2.15-2+b7`
    const colon = line.indexOf(':');
    if (colon <= 0 || /\s/.test(line.slice(0, colon))) {
      warn('analyzer-entry-malformed', 'line is not a "Field: value" pair; skipped', lineNo);
      continue;
    }
    if (current === undefined) {
      current = { fields: new Map(), line: lineNo };
      paragraphs.push(current);
    }
    lastKey = line.slice(0, colon).toLowerCase();
    current.fields.set(lastKey, line.slice(colon + 1).trim());
  }
  return paragraphs;
}
