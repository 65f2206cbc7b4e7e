/**
 * A character cursor for the condition parser. The condition language is context-sensitive
 * (`<` is an operator after a field and a value after `=`), so the parser asks the scanner for
 * the kind of token it expects instead of tokenizing up front.
 */

const KEYWORDS: ReadonlySet<string> = new Set(['and', 'or', 'not']);
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_.-]/;
const BARE_STOP = /[\s(),"']/;
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/**
 * Cursor over condition text; columns are 1-based.
 *
 * @example
 * const s = new Scanner('proc.name = bash');
 * s.readName(); // 'proc.name'
 */
export class Scanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** Skip whitespace and return the column of the next character. */
  skipSpace(): number {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) {
      this.pos++;
    }
    return this.col();
  }

  col(): number {
    return this.pos + 1;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peekChar(): string {
    return this.text[this.pos] ?? '';
  }

  peekIs(literal: string): boolean {
    return this.text.startsWith(literal, this.pos);
  }

  /** The next run of non-space characters, for error messages and word operators. */
  peekWord(): string {
    const m = /^[^\s()]+|^[()]/.exec(this.text.slice(this.pos));
    return m ? m[0] : '';
  }

  accept(literal: string): boolean {
    if (!this.peekIs(literal)) {
      return false;
    }
    this.pos += literal.length;
    return true;
  }

  /** Whether the next word is `and`, `or` or `not`. */
  peekKeyword(): boolean {
    return KEYWORDS.has(this.peekName());
  }

  /** Consume `word` only as a whole word (`in` must not match the start of `inode`). */
  acceptKeyword(word: string): boolean {
    this.skipSpace();
    if (!this.peekIs(word)) {
      return false;
    }
    const next = this.text[this.pos + word.length];
    if (next !== undefined && NAME_CHAR.test(next)) {
      return false;
    }
    this.pos += word.length;
    return true;
  }

  readName(): string | undefined {
    const name = this.peekName();
    if (name === '' || KEYWORDS.has(name)) {
      return undefined;
    }
    this.pos += name.length;
    return name;
  }

  readUntil(stop: string): string | undefined {
    const end = this.text.indexOf(stop, this.pos);
    if (end < 0) {
      return undefined;
    }
    const out = this.text.slice(this.pos, end);
    this.pos = end + stop.length;
    return out;
  }

  readBare(): string {
    const start = this.pos;
    while (this.pos < this.text.length && !BARE_STOP.test(this.text[this.pos]!)) {
      this.pos++;
    }
    return this.text.slice(start, this.pos);
  }

  /** Read `"..."` or `'...'` with backslash escapes; undefined when unterminated. */
  readQuoted(): string | undefined {
    const quote = this.text[this.pos];
    let out = '';
    let i = this.pos + 1;
    while (i < this.text.length) {
      const ch = this.text[i]!;
      if (ch === quote) {
        this.pos = i + 1;
        return out;
      }
      if (ch === '\\' && i + 1 < this.text.length) {
        const next = this.text[i + 1]!;
        out += ESCAPES[next] ?? `\\${next}`;
        i += 2;
        continue;
      }
      out += ch;
      i++;
    }
    return undefined;
  }

  private peekName(): string {
    if (!NAME_START.test(this.peekChar())) {
      return '';
    }
    let end = this.pos + 1;
    while (end < this.text.length && NAME_CHAR.test(this.text[end]!)) {
      end++;
    }
    return this.text.slice(this.pos, end);
  }
}
