import { describe, expect, it } from 'vitest';

import { parseDeb822 } from './deb822.js';

function parse(text: string) {
  const warnings: { message: string; line: number | undefined }[] = [];
  const paragraphs = parseDeb822(text, (_code, message, line) => warnings.push({ message, line }));
  return { paragraphs, warnings };
}

describe('analyzers/packages/deb822', () => {
  it('splits paragraphs on blank lines and records where each starts', () => {
    const text = 'Package: a\nVersion: 1\n\n\nPackage: b\nVersion: 2\n';

    const { paragraphs } = parse(text);

    expect(paragraphs.map((p) => [p.fields.get('package'), p.line])).toEqual([
      ['a', 1],
      ['b', 5],
    ]);
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

  it.each([
    ['continuation before any field', ' stray\nPackage: a\n', 1],
    ['line without a colon', 'Package: a\nno colon here\n', 2],
    ['field name with a space', 'Package: a\nBad Name: x\n', 2],
  ])('warns about a %s and keeps going', (_label, text, line) => {
    const { paragraphs, warnings } = parse(text);

    expect(warnings.map((w) => w.line)).toEqual([line]);
    expect(paragraphs[0]?.fields.get('package')).toBe('a');
  });
});
