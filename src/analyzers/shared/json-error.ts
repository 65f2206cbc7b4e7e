/**
 * Finds where JSON text stops being valid (RFC 8259 grammar), for a warning's line number: V8's
 * JSON.parse messages give a position for some errors and only a snippet for others.
 *
 * Grammar walked (RFC 8259 §2–7):
 *   value  = object | array | string | number | "true" | "false" | "null"
 *   object = "{" [ string ":" value { "," string ":" value } ] "}"
 *   array  = "[" [ value { "," value } ] "]"
 */

class JsonSyntax extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at ${offset}`);
  }
}

/**
 * The offset of the first syntax error, or undefined when the text is valid JSON.
 *
 * @example
 * jsonErrorOffset('{"a": }'); // 6
 * jsonErrorOffset('{"a": 1}'); // undefined
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw new JsonSyntax(i);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i += 1;
  };
  const expect = (c: string) => (text.charAt(i) === c ? (i += 1) : fail());
  const string = () => {
    expect('"');
    while (i < text.length && text.charAt(i) !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      i += text.charAt(i) === '\\' ? 2 : 1;
    }
    expect('"');
  };
  const list = (close: string, item: () => void) => {
    ws();
    if (text.charAt(i) === close) return void (i += 1);
    for (;;) {
      item();
      ws();
      if (text.charAt(i) === close) return void (i += 1);
      expect(',');
      ws();
    }
  };
  const value = (): void => {
    ws();
    const c = text.charAt(i);
    if (c === '{') {
      i += 1;
      list('}', () => {
        string();
        ws();
        expect(':');
        value();
      });
    } else if (c === '[') {
      i += 1;
      list(']', value);
    } else if (c === '"') {
      string();
    } else {
      const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(
        text.slice(i, i + 64),
      );
      if (!literal) fail();
      i += literal?.[0].length ?? 0;
    }
  };

  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (err) {
    // A RangeError from absurdly deep nesting just means "no line to offer".
    return err instanceof JsonSyntax ? err.offset : undefined;
  }
}
