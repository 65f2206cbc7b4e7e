import { describe, expect, it } from 'vitest';
import { shellEvent } from './__fixtures__/events.js';
import { loadFalcoRules } from './engine.js';

const PRELUDE = `
- list: shell_binaries
  items: [bash, sh, zsh]
- list: more_shells
  items: [shell_binaries, fish]
- list: sensitive_dirs
  items: [/etc, /root/.ssh]
- macro: spawned_process
  condition: evt.type in (execve, execveat) and evt.dir = <
- macro: container
  condition: container.id != host
- macro: shell_in_container
  condition: spawned_process and container and proc.name in (more_shells)
`;

function ruleWith(condition: string, extra = ''): string {
  return `${PRELUDE}
- rule: R
  desc: d
  condition: ${JSON.stringify(condition)}
  output: hit %proc.name
  priority: notice
${extra}`;
}

/** Load one rule `R` and run it on the shell event. */
function matches(condition: string): boolean {
  const result = loadFalcoRules([{ file: 'r.yaml', text: ruleWith(condition) }]);
  if (!result.ok || result.statuses[0]?.state !== 'loaded') {
    throw new Error(JSON.stringify([result.errors, result.statuses[0]?.reason]));
  }
  return result.ruleset.evaluate(shellEvent()).length === 1;
}

describe('policy/falco/compiler', () => {
  it.each([
    ['proc.name = bash', true],
    ['proc.name == sh', false],
    ['proc.name != sh', true],
    ['proc.tty > 0', true],
    ['proc.tty >= 34816', true],
    ['proc.tty < 34816', false],
    ['proc.tty <= 34816', true],
    ['user.uid = 0', true],
    ['proc.name in (shell_binaries)', true],
    ['proc.name in (more_shells)', true],
    ['proc.name in (zsh, "fish")', false],
    ['proc.name in ("shell_binaries")', false],
    ['proc.aname intersects (sshd, containerd)', true],
    ['proc.aname intersects (containerd)', false],
    ['proc.aname = systemd', true],
    ['proc.aname[1] = sshd', true],
    ['proc.aname[2] = systemd', true],
    ['proc.aname[0] = bash', true],
    ['proc.aname[3] = systemd', false],
    ['proc.pname = sshd and proc.pcmdline startswith sshd', true],
    ['fd.name pmatch (sensitive_dirs)', true],
    ['fd.name pmatch (/et)', false],
    ['fd.name pmatch (/etc/shadow)', true],
    ['fd.name glob "/etc/*"', true],
    ['fd.name glob "/etc/s?ad[a-z]w"', true],
    ['fd.name glob "/usr/*"', false],
    ['proc.cmdline contains "-i"', true],
    ['proc.cmdline icontains "BASH"', true],
    ['proc.cmdline contains "BASH"', false],
    ['fd.name startswith /etc/', true],
    ['fd.name endswith shadow', true],
    ['proc.cmdline regex "bash -[a-z]"', true],
    ['proc.exepath exists', true],
    ['proc.cwd exists', false],
    ['proc.cwd != /', false],
    ['evt.arg.flags contains O_CREAT', true],
    ['evt.arg[flags] contains O_TRUNC', false],
    ['evt.is_open_write = true', true],
    ['evt.res = SUCCESS and evt.rawres >= 0', true],
    ['evt.num = 0', false],
    ['fd.snet in ("10.0.0.0/8")', true],
    ['fd.net = "172.16.0.0/12"', false],
    ['container.image.repository endswith /nginx and container.image.tag = "1.25"', true],
    ['container.privileged = true', false],
    ['k8s.ns.name = prod and k8s.pod.name = web-0', true],
    ['proc.is_exe_upper_layer = true', true],
    ['shell_in_container', true],
    ['not shell_in_container', false],
    ['spawned_process and not container', false],
    ['not proc.name = sh and proc.name = bash or proc.name = zsh', true],
  ])('%s -> %s', (condition, expected) => {
    const actual = matches(condition);

    expect(actual).toBe(expected);
  });

  it.each([
    ['fd.sip.name = example.com', 'unknown field fd.sip.name'],
    ['evt.arg = x', 'field evt.arg needs an argument'],
    ['proc.name[1] = x', 'field proc.name takes no argument'],
    ['user.uid = root', "'root' is not a number"],
    ['container.privileged = yes', 'not true or false'],
    ['evt.type = dup2 and proc.name = x', 'event types dup2 are not produced by the sensor'],
  ])('marks %s not evaluable', (condition, reason) => {
    const result = loadFalcoRules([{ file: 'r.yaml', text: ruleWith(condition) }]);

    expect(result.ok).toBe(true);
    expect(result.statuses[0]?.state).toBe('not-evaluable');
    expect(result.statuses[0]?.reason).toContain(reason);
  });

  it.each([
    ['proc.name = (', 'condition-syntax'],
    ['undefined_macro_here', 'undefined-macro'],
  ])('reports %s as error %s at the rule', (condition, code) => {
    const result = loadFalcoRules([{ file: 'r.yaml', text: ruleWith(condition) }]);

    expect(result.ok).toBe(false);
    expect(result.errors[0]?.code).toBe(code);
    expect(result.errors[0]?.location.line).toBeGreaterThan(10);
    expect(result.statuses[0]?.state).toBe('invalid');
  });

  it.each([
    ['spawned_process and proc.name = bash', ['execve', 'execveat']],
    ['evt.type = openat or evt.type = execve', ['execve', 'openat']],
    ['evt.type in (open, dup) and proc.name = bash', ['open']],
    ['not evt.type in (execve) and evt.type in (execve, connect)', ['connect']],
    ['proc.name = bash', 'all'],
    ['evt.type = execve or proc.name = bash', 'all'],
  ])('indexes %s by event type', (condition, types) => {
    const result = loadFalcoRules([{ file: 'r.yaml', text: ruleWith(condition) }]);

    expect(result.statuses[0]?.eventTypes).toEqual(types);
    expect(result.warnings.some((w) => w.code === 'no-event-type')).toBe(types === 'all');
  });

  it('runs only the rules indexed for the event type plus the catch-all bucket', () => {
    const text = `${ruleWith('spawned_process')}
- rule: Opens
  desc: d
  condition: evt.type = openat
  output: o
  priority: info
- rule: Any
  desc: d
  condition: proc.name = bash
  output: o
  priority: info
`;

    const result = loadFalcoRules([{ file: 'r.yaml', text }]);

    expect(result.ruleset.rulesFor('execve').map((r) => r.rule.name)).toEqual(['R', 'Any']);
    expect(result.ruleset.rulesFor('openat').map((r) => r.rule.name)).toEqual(['Opens', 'Any']);
  });

  it.each([
    ['[proc.name, fd.name]', '[=, startswith]', '[[bash, /etc]]', false],
    ['[proc.name, fd.name]', '[=, startswith]', '[[nginx, /etc]]', true],
    ['[proc.name]', '[in]', '[[[zsh, bash]]]', false],
    ['[proc.name]', '[in]', '[[shell_binaries]]', false],
    ['proc.name', 'in', '[zsh, bash]', false],
    ['proc.name', 'in', '[zsh]', true],
    ['[proc.pname]', '[=]', '[]', true],
  ])('exception fields %s comps %s values %s -> fires %s', (fields, comps, values, fires) => {
    const extra = `  exceptions:\n    - name: known\n      fields: ${fields}\n      comps: ${comps}\n      values: ${values}\n`;

    const result = loadFalcoRules([{ file: 'r.yaml', text: ruleWith('spawned_process', extra) }]);

    expect(result.errors).toEqual([]);
    expect(result.ruleset.evaluate(shellEvent()).length === 1).toBe(fires);
  });

  it('reports disabled rules and does not run them', () => {
    const text = ruleWith('spawned_process', '  enabled: false\n');

    const result = loadFalcoRules([{ file: 'r.yaml', text }]);

    expect(result.statuses[0]?.state).toBe('disabled');
    expect(result.ruleset.evaluate(shellEvent())).toEqual([]);
  });

  it('reports a broken macro once, at the macro, and marks rules using it invalid', () => {
    const text = `- macro: broken\n  condition: proc.name in (a\n- macro: unused_broken\n  condition: and\n${ruleWith('broken').slice(PRELUDE.length)}`;

    const result = loadFalcoRules([{ file: 'r.yaml', text }]);

    expect(result.errors.map((e) => `${e.code} ${e.item}@${e.location.line}`)).toEqual([
      'condition-syntax broken@2',
      'condition-syntax unused_broken@4',
    ]);
    expect(result.errors[0]?.description).toContain('column 16');
    expect(result.statuses[0]?.state).toBe('invalid');
  });

  it('detects macro cycles', () => {
    const text = `- macro: a\n  condition: b\n- macro: b\n  condition: a\n${ruleWith('a').slice(PRELUDE.length)}`;

    const result = loadFalcoRules([{ file: 'r.yaml', text }]);

    expect(result.errors[0]?.code).toBe('macro-cycle');
  });
});
