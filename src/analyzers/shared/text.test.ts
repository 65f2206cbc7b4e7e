import { describe, expect, it } from 'vitest';

import { jsonErrorOffset } from './json-error.js';
import { lineOfJsonKey, lineOfOffset, looksBinary, parseJson } from './text.js';

describe('analyzers/shared/text', () => {
  it.each([
    ['text', Buffer.from('Package: bash\n'), false],
    ['UTF-8 text', Buffer.from('m:Sören Tempel\n'), false],
    ['a NUL byte', Buffer.from([0x50, 0x00, 0x51]), true],
    ['empty', Buffer.alloc(0), false],
  ])('looksBinary(%s) is %s', (_label, content, expected) => {
    expect(looksBinary(content)).toBe(expected);
  });

  it.each([
    ['a\nb\nc', 0, 1],
    ['a\nb\nc', 2, 2],
    ['a\nb\nc', 4, 3],
    ['a\nb\nc', 99, 3],
  ])('lineOfOffset(%j, %i) is %i', (text, offset, line) => {
    expect(lineOfOffset(text, offset)).toBe(line);
  });

  it.each([
    [['a', 'b'], 3],
    [['b'], 3],
    [['a', 'missing'], undefined],
    [[], undefined],
  ])('lineOfJsonKey(%j) is %s', (keys, line) => {
    const text = '{\n  "a": {\n    "b": 1\n  }\n}';

    expect(lineOfJsonKey(text, keys)).toBe(line);
  });

  it.each([
    ['{"a": 1}', undefined],
    ['[1, "x", true, null, -1.5e3, {}]', undefined],
    ['{"a": }', 6],
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['{"a": "unterminated', 19],
    ['{"a": 1} trailing', 9],
    ['', 0],
    ['{"a": tru}', 6],
  ])('jsonErrorOffset(%j) is %s', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('gives up quietly on nesting too deep to walk', () => {
    const deep = '['.repeat(200_000);

    expect(() => jsonErrorOffset(deep)).not.toThrow();
  });

  it.each([
    ['{\n  "a": 1\n}', { ok: true, value: { a: 1 } }],
    ['{\n  "a": 1,\n}', { ok: false, line: 3 }],
    ['{\n  "a": \n}', { ok: false, line: 3 }],
  ])('parseJson(%j)', (text, expected) => {
    expect(parseJson(text)).toMatchObject(expected);
  });
});
