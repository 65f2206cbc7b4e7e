import { jsonErrorOffset } from './json-error.js';

/**
 * Small text helpers shared by the parsers: binary detection, line numbers for warnings and
 * JSON parsing that reports where it failed.
 */

/** How much of a file is looked at to decide whether it is binary. */
const SNIFF_BYTES = 8192;

/**
 * True when the content looks binary (a NUL byte near the start), which no text format we parse
 * allows. Same heuristic as git and grep.
 *
 * @example
 * looksBinary(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00])); // true
 */
export function looksBinary(content: Buffer): boolean {
  return content.subarray(0, SNIFF_BYTES).includes(0);
}

/**
 * The 1-based line number of a character offset. Linear in the offset: for many lookups in one
 * text use {@link lineCounter}.
 *
 * @example
 * lineOfOffset('a\nb\nc', 2); // 2
 */
export function lineOfOffset(text: string, offset: number): number {
  return lineCounter(text)(offset);
}

/**
 * A line-number lookup for one text that counts newlines incrementally: while offsets grow, each
 * character is looked at once in total, and no index of the whole text is kept (a 32 MiB file of
 * empty lines would make one larger than the file). A smaller offset starts again from the top.
 *
 * @example
 * const lineOf = lineCounter('a\nb\nc');
 * lineOf(2); // 2
 * lineOf(4); // 3
 */
export function lineCounter(text: string): (offset: number) => number {
  let at = 0;
  let line = 1;

  return (offset) => {
    const end = Math.max(0, Math.min(offset, text.length));
    if (end < at) {
      at = 0;
      line = 1;
    }
    for (; at < end; at += 1) {
      if (text.charCodeAt(at) === 10) line += 1;
    }
    return line;
  };
}

/**
 * Calls `visit` with each line of the text (without its `\n` or `\r\n`) and its 1-based number,
 * without splitting the whole text into an array first: a file of millions of short lines would
 * otherwise hold millions of strings at once.
 *
 * @example
 * forEachLine('a\r\nb', (line, no) => console.log(no, line)); // 1 'a', then 2 'b'
 */
export function forEachLine(text: string, visit: (line: string, lineNo: number) => void): void {
  let start = 0;
  let lineNo = 1;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const cut = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    visit(text.slice(start, cut), lineNo);
    if (nl < 0) {
      return;
    }
    start = nl + 1;
    lineNo += 1;
  }
}

/**
 * Finds lines of JSON object keys in one text, for warnings: {@link lineOfJsonKey} with a shared
 * {@link lineCounter}, so a file's warnings together count its newlines about once.
 *
 * @example
 * const lineOfKey = jsonKeyLocator('{\n  "a": {\n    "b": 1\n  }\n}');
 * lineOfKey(['a', 'b']); // 3
 */
export function jsonKeyLocator(text: string): (keys: readonly string[]) => number | undefined {
  const lineOf = lineCounter(text);
  return (keys) => {
    const offset = offsetOfJsonKey(text, keys);
    return offset === undefined ? undefined : lineOf(offset);
  };
}

/**
 * Best-effort line of a JSON object key, found after each key of `parents` in turn (the path of
 * enclosing objects). JSON.parse gives no positions, and a warning that names the line saves
 * the user a search. Linear in the text: call it only when a warning is kept (see
 * `FileWarner`, which takes the line as a function for that reason).
 *
 * @example
 * lineOfJsonKey('{\n  "a": {\n    "b": 1\n  }\n}', ['a', 'b']); // 3
 */
export function lineOfJsonKey(text: string, keys: readonly string[]): number | undefined {
  return jsonKeyLocator(text)(keys);
}

/** The offset of the last key of `keys`, searched as `"key":` after each previous one. */
function offsetOfJsonKey(text: string, keys: readonly string[]): number | undefined {
  let offset = -1;
  for (const key of keys) {
    const found = text.indexOf(`${JSON.stringify(key)}:`, offset + 1);
    if (found < 0) {
      return undefined;
    }
    offset = found;
  }
  return offset < 0 ? undefined : offset;
}

/**
 * The outcome of {@link parseJson}. `tooDeep` marks text JSON.parse gave up on with a RangeError
 * (nesting deeper than its stack allows): valid or not, nothing can be read from it.
 */
export type JsonParseResult =
  { ok: true; value: unknown } | { ok: false; message: string; line?: number; tooDeep?: true };

/** The parse result for content that is not text at all. */
export const NOT_TEXT: JsonParseResult = { ok: false, message: 'not a text file' };

/**
 * Parses JSON and, on failure, finds the line of the error (from V8's `at position N`, or by
 * walking the grammar when the message has no position). Never throws: a RangeError from absurd
 * nesting comes back as `tooDeep`, so callers report an unreadable file instead of crashing.
 *
 * @example
 * parseJson('{"a": }'); // { ok: false, message: "Unexpected token '}' ...", line: 1 }
 */
export function parseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    if (err instanceof RangeError) {
      return { ok: false, message: 'nested too deeply', tooDeep: true };
    }
    const message = err instanceof Error ? err.message : String(err);
    const position = /position (\d+)/.exec(message)?.[1];
    const offset = position === undefined ? jsonErrorOffset(text) : Number(position);
    if (offset === undefined) {
      return { ok: false, message };
    }
    return { ok: false, message, line: lineOfOffset(text, offset) };
  }
}
