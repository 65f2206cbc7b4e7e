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
 * The 1-based line number of a character offset.
 *
 * @example
 * lineOfOffset('a\nb\nc', 2); // 2
 */
export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
    }
  }
  return line;
}

/**
 * Best-effort line of a JSON object key, found after each key of `parents` in turn (the path of
 * enclosing objects). JSON.parse gives no positions, and a warning that names the line saves
 * the user a search. Linear in the text: call it only when a warning is due.
 *
 * @example
 * lineOfJsonKey('{\n  "a": {\n    "b": 1\n  }\n}', ['a', 'b']); // 3
 */
export function lineOfJsonKey(text: string, keys: readonly string[]): number | undefined {
  let offset = 0;
  for (const key of keys) {
    const found = text.indexOf(`${JSON.stringify(key)}:`, offset);
    if (found < 0) {
      return undefined;
    }
    offset = found + 1;
  }
  return keys.length === 0 ? undefined : lineOfOffset(text, offset - 1);
}

export type JsonParseResult =
  { ok: true; value: unknown } | { ok: false; message: string; line?: number };

/** The parse result for content that is not text at all. */
export const NOT_TEXT: JsonParseResult = { ok: false, message: 'not a text file' };

/**
 * Parses JSON and, on failure, finds the line of the error (from V8's `at position N`, or by
 * walking the grammar when the message has no position).
 *
 * @example
 * parseJson('{"a": }'); // { ok: false, message: "Unexpected token '}' ...", line: 1 }
 */
export function parseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /position (\d+)/.exec(message)?.[1];
    const offset = position === undefined ? jsonErrorOffset(text) : Number(position);
    if (offset === undefined) {
      return { ok: false, message };
    }
    return { ok: false, message, line: lineOfOffset(text, offset) };
  }
}
