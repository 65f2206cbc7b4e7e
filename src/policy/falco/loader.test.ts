import { describe, expect, it } from 'vitest';
import { loadDefinitions } from './loader.js';

const BASE = `
- list: shells
  items: [bash, sh]
- macro: spawned
  condition: evt.type = execve
- rule: Shell
  desc: a shell ran
  condition: spawned and proc.name in (shells)
  output: shell %proc.name
  priority: warning
  tags: [shell]
`;

function load(...texts: string[]) {
  return loadDefinitions(texts.map((text, i) => ({ file: `f${i}.yaml`, text })));
}

describe('policy/falco/loader', () => {
  it('loads lists, macros and rules with locations', () => {
    const result = load(BASE);

    expect(result.ok).toBe(true);
    expect(result.definitions.lists.get('shells')?.items).toEqual(['bash', 'sh']);
    expect(result.definitions.macros.get('spawned')?.location).toEqual({
      file: 'f0.yaml',
      line: 4,
      col: 3,
    });
    const rule = result.definitions.rules.get('Shell');
    expect(rule?.priority).toBe('WARNING');
    expect(rule?.location.line).toBe(6);
    expect(rule?.conditionLocation.line).toBe(8);
  });

  it.each([
    [
      'old-style list append',
      '- list: shells\n  items: [zsh]\n  append: true',
      'list',
      ['bash', 'sh', 'zsh'],
    ],
    [
      'override list append',
      '- list: shells\n  items: [zsh]\n  override: {items: append}',
      'list',
      ['bash', 'sh', 'zsh'],
    ],
    [
      'override list replace',
      '- list: shells\n  items: [zsh]\n  override: {items: replace}',
      'list',
      ['zsh'],
    ],
    [
      'old-style macro append',
      '- macro: spawned\n  condition: or x\n  append: true',
      'macro',
      'evt.type = execve or x',
    ],
    [
      'override macro replace',
      '- macro: spawned\n  condition: x\n  override: {condition: replace}',
      'macro',
      'x',
    ],
    [
      'old-style rule append',
      '- rule: Shell\n  condition: and not y\n  append: true',
      'rule',
      'spawned and proc.name in (shells) and not y',
    ],
    [
      'override rule append',
      '- rule: Shell\n  condition: and not y\n  override: {condition: append}',
      'rule',
      'spawned and proc.name in (shells) and not y',
    ],
    [
      'override rule replace',
      '- rule: Shell\n  condition: z\n  override: {condition: replace}',
      'rule',
      'z',
    ],
  ])('%s in a later file', (_name, text, kind, expected) => {
    const result = load(BASE, text);

    const defs = result.definitions;
    const actual =
      kind === 'list'
        ? defs.lists.get('shells')?.items
        : kind === 'macro'
          ? defs.macros.get('spawned')?.condition
          : defs.rules.get('Shell')?.condition;

    expect(result.errors).toEqual([]);
    expect(actual).toEqual(expected);
  });

  it.each([
    ['disable by name', '- rule: Shell\n  enabled: false', false],
    ['override enabled', '- rule: Shell\n  enabled: false\n  override: {enabled: replace}', false],
  ])('%s', (_name, text, enabled) => {
    const result = load(BASE, text);

    expect(result.definitions.rules.get('Shell')?.enabled).toBe(enabled);
  });

  it('appends exception values by name and adds new exceptions', () => {
    const first = `${BASE}  exceptions:\n    - name: known\n      fields: [proc.name, fd.name]\n      comps: [=, startswith]\n      values: [[nginx, /var]]\n`;
    const second = `- rule: Shell\n  exceptions:\n    - name: known\n      values: [[apache, /srv]]\n    - name: users\n      fields: user.name\n      values: [root]\n  append: true\n`;

    const result = load(first, second);

    const exceptions = result.definitions.rules.get('Shell')?.exceptions;
    expect(result.errors).toEqual([]);
    expect(exceptions?.map((e) => [e.name, e.values.length, e.comps])).toEqual([
      ['known', 2, ['=', 'startswith']],
      ['users', 1, 'in'],
    ]);
  });

  it.each([
    ['- rule: R\n  condition: a\n  output: o\n  desc: d\n  priority: LOUD', 'invalid-priority', 1],
    ['- rule: R\n  condition: a', 'invalid-item', 1],
    ['- rule: Nope\n  condition: x\n  append: true', 'append-to-unknown', 1],
    ['- list: nope\n  items: [a]\n  override: {items: append}', 'append-to-unknown', 1],
    [
      '- rule: Shell\n  condition: x\n  output: y\n  override: {condition: append}',
      'invalid-override',
      1,
    ],
    ['- rule: Shell\n  output: y\n  override: {priority: append}', 'invalid-override', 1],
    [
      '- rule: Shell\n  condition: x\n  append: true\n  override: {condition: append}',
      'invalid-override',
      1,
    ],
    ['- list: l\n  items: 3', 'invalid-item', 1],
    ['- macro: m', 'invalid-item', 1],
    [
      '- rule: R\n  condition: a\n  output: o\n  desc: d\n  priority: INFO\n  exceptions:\n    - name: e\n      fields: [a, b]\n      comps: [=]',
      'invalid-exception',
      1,
    ],
    [
      '- rule: R\n  condition: a\n  output: o\n  desc: d\n  priority: INFO\n  exceptions:\n    - name: e\n      fields: [a, b]\n      values: [[x]]',
      'invalid-exception',
      1,
    ],
    ['- rule: R\n  condition: [a', 'yaml-syntax', 2],
    ['rule: R', 'invalid-document', 1],
    ['- 42', 'invalid-item', 1],
    ['- list: a\n  items: [x]\n-', 'invalid-item', 3],
  ])('reports %j as %s with its location', (text, code, line) => {
    const result = load(BASE, text);

    expect(result.ok).toBe(false);
    expect(result.errors[0]?.code).toBe(code);
    expect(result.errors[0]?.location.file).toBe('f1.yaml');
    expect(result.errors[0]?.location.line).toBe(line);
    expect(result.errors[0]?.title).not.toBe('');
  });

  it('keeps loading after a broken item', () => {
    const text = `- rule: Broken\n  condition: a\n- list: after\n  items: [x]\n- rule: Fine\n  condition: a\n  output: o\n  desc: d\n  priority: debug\n`;

    const result = load(text);

    expect(result.errors.map((e) => `${e.code}@${e.location.line}`)).toEqual(['invalid-item@1']);
    expect(result.definitions.lists.has('after')).toBe(true);
    expect(result.definitions.rules.get('Fine')?.priority).toBe('DEBUG');
  });

  it.each([
    ['- required_engine_version: 0.57.0', 'ignored-item'],
    ['- required_plugin_versions:\n    - name: k8saudit\n      version: 0.1.0', 'ignored-item'],
    ['- mystery: 1', 'unknown-item'],
    ['- list: l\n  items: []\n  itmes: [a]', 'unknown-key'],
  ])('warns about %j', (text, code) => {
    const result = load(text);

    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => w.code)).toEqual([code]);
  });

  it('stops an alias bomb at the item', () => {
    const bomb = ['- list: a\n  items: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) {
      const refs = Array.from({ length: 10 }, () => `*${String.fromCharCode(96 + i)}`).join(', ');
      bomb.push(
        `- list: ${String.fromCharCode(97 + i)}\n  items: &${String.fromCharCode(97 + i)} [${refs}]`,
      );
    }

    const result = load(bomb.join('\n'));

    expect(result.errors.some((e) => e.code === 'yaml-alias-limit')).toBe(true);
    expect(result.definitions.lists.has('a')).toBe(true);
  });
});
