import { afterEach, describe, expect, it, vi } from 'vitest';

import { jsonErrorOffset } from './json-error.js';
import {
  forEachLine,
  jsonKeyLocator,
  lineCounter,
  lineOfJsonKey,
  lineOfOffset,
  looksBinary,
  parseJson,
} from './text.js';

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
    ['growing offsets', [0, 2, 4, 99], [1, 2, 3, 3]],
    ['the same offset twice', [2, 2], [2, 2]],
    ['a smaller offset after a larger one', [4, 1, 3], [3, 1, 2]],
    ['a negative offset', [-5], [1]],
  ])('lineCounter answers %s', (_label, offsets, lines) => {
    const lineOf = lineCounter('a\nb\nc');

    const answers = offsets.map((offset) => lineOf(offset));

    expect(answers).toEqual(lines);
  });

  it.each([
    ['', [[1, '']]],
    ['a', [[1, 'a']]],
    [
      'a\n',
      [
        [1, 'a'],
        [2, ''],
      ],
    ],
    [
      'a\r\nb',
      [
        [1, 'a'],
        [2, 'b'],
      ],
    ],
    [
      '\n\nc\r',
      [
        [1, ''],
        [2, ''],
        [3, 'c'],
      ],
    ],
    ['only\r in the middle', [[1, 'only\r in the middle']]],
  ])('forEachLine(%j)', (text, expected) => {
    const seen: [number, string][] = [];

    forEachLine(text, (line, lineNo) => seen.push([lineNo, line]));

    expect(seen).toEqual(expected);
  });

  it('locates several keys of one text with one locator', () => {
    const text = '{\n  "a": {\n    "b": 1\n  },\n  "c": 2\n}';
    const lineOfKey = jsonKeyLocator(text);

    const lines = [['c'], ['a', 'b'], ['a'], ['missing']].map((keys) => lineOfKey(keys));

    expect(lines).toEqual([5, 3, 2, undefined]);
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

  describe('when JSON.parse overflows its stack', () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('reports the text as too deep instead of throwing', () => {
      vi.spyOn(JSON, 'parse').mockImplementation(() => {
        throw new RangeError('Maximum call stack size exceeded');
      });

      const result = parseJson('[[[1]]]');

      expect(result).toEqual({ ok: false, message: 'nested too deeply', tooDeep: true });
    });
  });

  it.each([
    ['{\n  "a": 1\n}', { ok: true, value: { a: 1 } }],
    ['{\n  "a": 1,\n}', { ok: false, line: 3 }],
    ['{\n  "a": \n}', { ok: false, line: 3 }],
  ])('parseJson(%j)', (text, expected) => {
    expect(parseJson(text)).toMatchObject(expected);
  });
});
