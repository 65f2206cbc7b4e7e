import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shellEvent } from './__fixtures__/events.js';
import { loadFalcoRuleFiles } from './engine.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const rulesDir = path.resolve(repoRoot, '..', 'shared', 'falco-rules');
const FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map(
  (f) => path.join(rulesDir, f),
);

describe('policy/falco/upstream', async () => {
  const result = await loadFalcoRuleFiles(FILES);
  const perFile = FILES.map((file) => {
    const mine = result.statuses.filter((s) => s.rule.location.file === file);
    const count = (state: string): number => mine.filter((s) => s.state === state).length;
    return [
      path.basename(file),
      count('loaded'),
      count('not-evaluable'),
      count('disabled'),
    ] as const;
  });

  it('loads all three files with no errors', () => {
    expect(result.errors).toEqual([]);
    expect(result.warnings.every((w) => w.code === 'ignored-item')).toBe(true);
  });

  it.each(perFile)(
    '%s: %i loaded, %i not evaluable, %i disabled',
    (_file, loaded, notEvaluable) => {
      expect(loaded).toBeGreaterThan(0);
      expect(loaded + notEvaluable).toBeGreaterThan(0);
    },
  );

  it.each([
    'Terminal shell in container',
    'Read sensitive file untrusted',
    'Drop and execute new binary in container',
  ])('loads core rule %j as evaluable', (name) => {
    const status = result.statuses.find((s) => s.rule.name === name);

    expect(status?.state).toBe('loaded');
  });

  it('fires "Terminal shell in container" on an interactive shell in a container', () => {
    const base = shellEvent();
    const event = shellEvent({
      evt: { type: 'execve', num: 3, time: 0, dir: '<', args: {}, res: 0 },
      proc: { ...base.proc, name: 'bash', ancestors: [{ name: 'runc' }] },
    });

    const names = result.ruleset.evaluate(event).map((m) => m.rule);

    expect(names).toContain('Terminal shell in container');
  });

  it('fires "Read sensitive file untrusted" when cat opens /etc/shadow', () => {
    const base = shellEvent();
    const event = shellEvent({
      evt: { type: 'openat', num: 9, time: 0, dir: '<', args: { flags: 'O_RDONLY' }, res: 3 },
      proc: {
        ...base.proc,
        name: 'cat',
        cmdline: 'cat /etc/shadow',
        ancestors: [{ name: 'bash' }],
      },
      fd: { ...base.fd, num: 3 },
    });

    const matches = result.ruleset.evaluate(event);

    expect(matches.map((m) => m.rule)).toEqual(['Read sensitive file untrusted']);
    expect(matches[0]?.outputFields['fd.name']).toBe('/etc/shadow');
  });
});
