import { describe, expect, it } from 'vitest';
import type { ConditionNode } from './ast.js';
import { parseCondition } from './parser.js';

/** A compact rendering of the tree, so tables stay readable. */
function show(node: ConditionNode): string {
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${node.children.map(show).join(` ${node.kind} `)})`;
    case 'not':
      return `(not ${show(node.child)})`;
    case 'macro':
      return node.name;
    case 'exists':
      return `${node.field.name} exists`;
    case 'compare': {
      const f =
        node.field.arg === undefined ? node.field.name : `${node.field.name}[${node.field.arg}]`;
      const v =
        node.value.kind === 'list'
          ? `[${node.value.items.map((i) => i.text).join('|')}]`
          : node.value.quoted
            ? `"${node.value.text}"`
            : node.value.text;
      return `${f} ${node.op} ${v}`;
    }
  }
}

function parsed(text: string): string {
  const result = parseCondition(text);
  if (!result.ok) {
    throw new Error(`${result.message} at ${result.col}`);
  }
  return show(result.ast);
}

describe('policy/falco/condition/parser', () => {
  it.each([
    ['not a and b or c', '(((not a) and b) or c)'],
    ['a or b and c', '(a or (b and c))'],
    ['a and (b or c)', '(a and (b or c))'],
    ['not not a', '(not (not a))'],
    ['not (a or b) and c', '((not (a or b)) and c)'],
    ['a and b and c', '(a and b and c)'],
    ['((a))', 'a'],
  ])('precedence: %s', (text, expected) => {
    const actual = parsed(text);

    expect(actual).toBe(expected);
  });

  it.each([
    ['proc.name = bash', 'proc.name = bash'],
    ['proc.name == bash', 'proc.name == bash'],
    ['proc.name != bash', 'proc.name != bash'],
    ['proc.tty < 1', 'proc.tty < 1'],
    ['proc.tty <= 1', 'proc.tty <= 1'],
    ['proc.tty > 1', 'proc.tty > 1'],
    ['proc.tty >= 1', 'proc.tty >= 1'],
    ['proc.name in (bash, sh)', 'proc.name in [bash|sh]'],
    ['proc.aname intersects (a, b)', 'proc.aname intersects [a|b]'],
    ['fd.name pmatch (/etc, /usr)', 'fd.name pmatch [/etc|/usr]'],
    ['fd.name contains shadow', 'fd.name contains shadow'],
    ['fd.name icontains SHADOW', 'fd.name icontains SHADOW'],
    ['evt.buffer bcontains 2f62696e', 'evt.buffer bcontains 2f62696e'],
    ['fd.name startswith /etc', 'fd.name startswith /etc'],
    ['fd.name endswith .conf', 'fd.name endswith .conf'],
    ['fd.name glob "/etc/*"', 'fd.name glob "/etc/*"'],
    ['proc.cmdline regex "a.*b"', 'proc.cmdline regex "a.*b"'],
    ['proc.name exists', 'proc.name exists'],
    ['evt.dir = <', 'evt.dir = <'],
    ['evt.dir=<', 'evt.dir = <'],
    ['proc.aname[2] = sshd', 'proc.aname[2] = sshd'],
    ['evt.arg.flags contains O_TRUNC', 'evt.arg.flags contains O_TRUNC'],
    ['evt.arg[flags] contains O_TRUNC', 'evt.arg[flags] contains O_TRUNC'],
    ['proc.name in ()', 'proc.name in []'],
    ['proc.name in (a,"b c", \'d\')', 'proc.name in [a|b c|d]'],
    ['proc.cmdline contains "say \\"hi\\""', 'proc.cmdline contains "say "hi""'],
    ['proc.name=bash and container', '(proc.name = bash and container)'],
    ['fd.name in (/etc, x) or (spawned_process)', '(fd.name in [/etc|x] or spawned_process)'],
    ['proc.name inode', 'error'],
  ])('operator and value: %s', (text, expected) => {
    const result = parseCondition(text);

    const actual = result.ok ? show(result.ast) : 'error';

    expect(actual).toBe(expected);
  });

  it.each([
    ['', 1, 'unexpected end'],
    ['a and', 6, 'unexpected end'],
    ['(a or b', 8, "expected ')'"],
    ['proc.name = ', 13, 'expected a value'],
    ['proc.name in bash', 14, "expected '('"],
    ['proc.name in (a b)', 17, "expected ',' or ')'"],
    ['proc.name = "open', 13, 'unterminated'],
    ['a b', 3, "expected an operator, found 'b'"],
    ['proc.aname[2 = x', 12, "expected ']'"],
    ['and a', 1, 'expected a field or macro'],
    ['proc.name ~ x', 11, 'expected an operator'],
  ])('error in %j at column %i', (text, col, message) => {
    const result = parseCondition(text);

    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.col).toBe(col);
      expect(result.message).toContain(message);
    }
  });
});
