import { describe, expect, it } from 'vitest';

import { readDeb822, type Paragraph } from './deb822.js';

const ALL = new Set(['package', 'version', 'description', 'conffiles']);

function parse(text: string, fields: ReadonlySet<string> = ALL, maxParagraphs?: number) {
  const warnings: { message: string; line: number | undefined }[] = [];
  const paragraphs: Paragraph[] = [];
  const summary = readDeb822(
    text,
    { fields, maxParagraphs },
    (_code, message, line) => warnings.push({ message, line: line as number | undefined }),
    (p) => paragraphs.push(p),
  );
  return { paragraphs, warnings, summary };
}

describe('analyzers/packages/deb822', () => {
  it('splits paragraphs on blank lines and records where each starts', () => {
    const text = 'Package: a\nVersion: 1\n\n\nPackage: b\nVersion: 2\n';

    const { paragraphs, summary } = parse(text);

    expect(paragraphs.map((p) => [p.fields.get('package'), p.line])).toEqual([
      ['a', 1],
      ['b', 5],
    ]);
    expect(summary).toEqual({ read: 2, notRead: 0 });
  });

  it.each([
    ['folded value', 'Description: short\n long line\n .\n', 'description', 'short\nlong line\n.'],
    ['field names are case-insensitive', 'PACKAGE: a\n', 'package', 'a'],
    ['value with a colon', 'Version: 1:2.3-4\n', 'version', '1:2.3-4'],
    ['empty value then continuation', 'Conffiles:\n /etc/x abc\n', 'conffiles', '\n/etc/x abc'],
    ['CRLF line ends', 'Package: a\r\nVersion: 1\r\n', 'version', '1'],
    ['whitespace-only separator line', 'Package: a\n \t\nPackage: b\n', 'package', 'a'],
  ])('%s', (_label, text, field, value) => {
    const { paragraphs, warnings } = parse(text);

    expect(warnings).toEqual([]);
    expect(paragraphs[0]?.fields.get(field)).toBe(value);
  });

  it('keeps only the wanted fields, continuations included', () => {
    const text = 'Package: a\nDescription: long\n more\n .\nConffiles:\n /etc/x abc\nVersion: 1\n';

    const { paragraphs, warnings } = parse(text, new Set(['package', 'version']));

    expect(warnings).toEqual([]);
    expect([...(paragraphs[0]?.fields.entries() ?? [])]).toEqual([
      ['package', 'a'],
      ['version', '1'],
    ]);
  });

  it.each([
    ['continuation before any field', ' stray\nPackage: a\n', 1],
    ['line without a colon', 'Package: a\nno colon here\n', 2],
    ['field name with a space', 'Package: a\nBad Name: x\n', 2],
  ])('warns about a %s and keeps going', (_label, text, line) => {
    const { paragraphs, warnings } = parse(text);

    expect(warnings.map((w) => w.line)).toEqual([line]);
    expect(paragraphs[0]?.fields.get('package')).toBe('a');
  });

  it.each([
    ['under the cap', 'Package: a\n\nPackage: b\n', 2, { read: 2, notRead: 0 }],
    ['at the cap', 'Package: a\n\nPackage: b\n', 1, { read: 1, notRead: 1 }],
    ['junk past the cap', 'Package: a\n\nPackage: b\njunk\n\n\nx\n', 1, { read: 1, notRead: 2 }],
  ])('stops at maxParagraphs and counts the rest: %s', (_label, text, max, summary) => {
    const result = parse(text, ALL, max);

    expect(result.summary).toEqual(summary);
    expect(result.paragraphs).toHaveLength(summary.read);
    expect(result.warnings).toEqual([]);
  });
});
