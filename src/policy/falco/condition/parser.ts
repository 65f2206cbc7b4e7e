/**
 * Parser for the Falco condition language (the `condition:` of rules and macros).
 *
 * Grammar (EBNF). Whitespace separates tokens and is otherwise ignored; keywords are
 * case-sensitive, as in Falco.
 *
 *   Condition  = OrExpr , EOF ;
 *   OrExpr     = AndExpr , { "or" , AndExpr } ;
 *   AndExpr    = NotExpr , { "and" , NotExpr } ;
 *   NotExpr    = "not" , NotExpr | Primary ;
 *   Primary    = "(" , OrExpr , ")" | Check ;
 *   Check      = Field , "exists"
 *              | Field , ValueOp , Value
 *              | Field , ListOp , List
 *              | MacroName ;
 *   Field      = Name , [ "[" , { any char - "]" } , "]" ] ;
 *   MacroName  = Name ;
 *   Name       = ( letter | "_" ) , { letter | digit | "_" | "." | "-" } ;
 *   ValueOp    = "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "contains" | "icontains"
 *              | "bcontains" | "startswith" | "bstartswith" | "endswith" | "glob" | "regex" ;
 *   ListOp     = "in" | "intersects" | "pmatch" ;
 *   List       = "(" , [ Value , { "," , Value } ] , ")" ;
 *   Value      = Quoted | Bare ;
 *   Quoted     = '"' , { char } , '"' | "'" , { char } , "'" ;   (* \\ \" \' \n \t escapes *)
 *   Bare       = { any char - ( whitespace | "(" | ")" | "," | '"' | "'" ) }- ;
 *
 * Precedence, tightest first: `not`, `and`, `or` — `not a and b or c` is `((not a) and b) or c`.
 * Words that look like values (`<`, `/usr/bin`, `O_TRUNC`) are bare values, as in Falco's
 * `evt.dir = <`.
 *
 * TODO: field transformers (`tolower(proc.name)`, `val(fd.name)`) are not parsed yet; a rule
 * using them fails with a syntax error instead of loading.
 */
import type { CompareOp, ConditionNode, FieldRef, ScalarValue, ValueNode } from './ast.js';
import { LIST_OPS } from './ast.js';
import { Scanner } from './scanner.js';

/** The outcome of parsing one condition. */
export type ParseResult =
  { ok: true; ast: ConditionNode } | { ok: false; message: string; col: number };

const SYMBOL_OPS: readonly CompareOp[] = ['==', '!=', '<=', '>=', '=', '<', '>'];
const WORD_OPS: ReadonlySet<string> = new Set([
  'in',
  'intersects',
  'pmatch',
  'contains',
  'icontains',
  'bcontains',
  'startswith',
  'bstartswith',
  'endswith',
  'glob',
  'regex',
]);

/** Every binary comparison operator the grammar accepts (exceptions' `comps` use the same). */
export const COMPARISON_OPERATORS: ReadonlySet<string> = new Set([...SYMBOL_OPS, ...WORD_OPS]);

class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly col: number,
  ) {
    super(message);
  }
}

/**
 * Parse a condition into a syntax tree, or report the first syntax error with its column.
 *
 * @example
 * const r = parseCondition('evt.type = execve and not proc.name in (bash, sh)');
 * if (r.ok) console.log(r.ast.kind); // 'and'
 */
export function parseCondition(text: string): ParseResult {
  const s = new Scanner(text);
  try {
    const ast = parseOr(s);
    s.skipSpace();
    if (!s.atEnd()) {
      throw new ConditionSyntaxError(`unexpected '${s.peekWord()}'`, s.col());
    }
    return { ok: true, ast };
  } catch (err) {
    if (err instanceof ConditionSyntaxError) {
      return { ok: false, message: err.message, col: err.col };
    }
    throw err;
  }
}

function parseOr(s: Scanner): ConditionNode {
  const col = s.skipSpace();
  const children = [parseAnd(s)];
  while (s.acceptKeyword('or')) {
    children.push(parseAnd(s));
  }
  return children.length === 1 ? children[0]! : { kind: 'or', children, col };
}

function parseAnd(s: Scanner): ConditionNode {
  const col = s.skipSpace();
  const children = [parseNot(s)];
  while (s.acceptKeyword('and')) {
    children.push(parseNot(s));
  }
  return children.length === 1 ? children[0]! : { kind: 'and', children, col };
}

function parseNot(s: Scanner): ConditionNode {
  const col = s.skipSpace();
  if (s.acceptKeyword('not')) {
    return { kind: 'not', child: parseNot(s), col };
  }
  return parsePrimary(s);
}

function parsePrimary(s: Scanner): ConditionNode {
  const col = s.skipSpace();
  if (s.accept('(')) {
    const inner = parseOr(s);
    s.skipSpace();
    if (!s.accept(')')) {
      throw new ConditionSyntaxError(`expected ')' to close '(' at column ${col}`, s.col());
    }
    return inner;
  }
  if (s.atEnd()) {
    throw new ConditionSyntaxError('unexpected end of condition', s.col());
  }
  const name = s.readName();
  if (name === undefined) {
    throw new ConditionSyntaxError(`expected a field or macro, found '${s.peekWord()}'`, col);
  }
  return parseCheck(s, name, col);
}

function parseCheck(s: Scanner, name: string, col: number): ConditionNode {
  // `proc.aname[2] = bash`: the argument follows the name with no space.
  const field: FieldRef = { name, col };
  if (s.accept('[')) {
    const arg = s.readUntil(']');
    if (arg === undefined) {
      throw new ConditionSyntaxError(`expected ']' after the argument of ${name}`, s.col());
    }
    field.arg = arg;
  }
  s.skipSpace();
  if (field.arg === undefined && (s.atEnd() || s.peekIs(')') || s.peekKeyword())) {
    // `spawned_process and container`: a bare name with no operator is a macro.
    return { kind: 'macro', name, col };
  }
  if (s.acceptKeyword('exists')) {
    return { kind: 'exists', field, col };
  }
  const op = readOperator(s);
  const value = LIST_OPS.has(op) ? parseList(s) : parseScalar(s);
  return { kind: 'compare', field, op, value, col };
}

function readOperator(s: Scanner): CompareOp {
  const col = s.skipSpace();
  for (const op of SYMBOL_OPS) {
    if (s.accept(op)) {
      return op;
    }
  }
  const word = s.peekWord();
  if (WORD_OPS.has(word)) {
    s.acceptKeyword(word);
    return word as CompareOp;
  }
  throw new ConditionSyntaxError(`expected an operator, found '${word}'`, col);
}

function parseList(s: Scanner): ValueNode {
  const col = s.skipSpace();
  if (!s.accept('(')) {
    throw new ConditionSyntaxError(`expected '(' to start a list`, col);
  }
  const items: ScalarValue[] = [];
  s.skipSpace();
  if (s.accept(')')) {
    return { kind: 'list', items, col };
  }
  for (;;) {
    items.push(parseScalar(s));
    s.skipSpace();
    if (s.accept(')')) {
      return { kind: 'list', items, col };
    }
    if (!s.accept(',')) {
      throw new ConditionSyntaxError(`expected ',' or ')' in list`, s.col());
    }
  }
}

function parseScalar(s: Scanner): ScalarValue {
  const col = s.skipSpace();
  const quote = s.peekChar();
  if (quote === '"' || quote === "'") {
    const text = s.readQuoted();
    if (text === undefined) {
      throw new ConditionSyntaxError('unterminated quoted string', col);
    }
    return { kind: 'scalar', text, quoted: true, col };
  }
  const text = s.readBare();
  if (text === '') {
    throw new ConditionSyntaxError(`expected a value, found '${s.peekWord()}'`, col);
  }
  return { kind: 'scalar', text, quoted: false, col };
}
