import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { REPO_ROOT } from './helpers/paths.js';

const UPSTREAM = path.resolve(REPO_ROOT, '..', 'shared', 'falco-rules');
const work = mkdtempSync(path.join(tmpdir(), 'bulkhead-rules-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('bulkhead rules check', () => {
  it('loads the upstream Falco rules and lists each rule with its state and place', async () => {
    const result = await runCli(['rules', 'check', path.join(UPSTREAM, 'falco_rules.yaml')]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^loaded\s+Terminal shell in container\s+\S+falco_rules\.yaml:\d+:\d+/m,
    );
    expect(result.stdout).toMatch(/^not-evaluable\s+.+unknown field/m);
    expect(result.stdout).toMatch(/\d+ rules: \d+ loaded, \d+ not evaluable/);
  });

  it('names file and line of a broken item, loads the rest, and exits 2', async () => {
    const file = path.join(work, 'broken.yaml');
    writeFileSync(
      file,
      [
        '- rule: Good rule',
        '  desc: fine',
        '  condition: evt.type = execve and proc.name = nc',
        '  output: netcat (%proc.cmdline)',
        '  priority: WARNING',
        '- rule: Bad rule',
        '  desc: broken condition',
        '  condition: evt.type = execve and (proc.name = nc',
        '  output: x',
        '  priority: WARNING',
        '',
      ].join('\n'),
    );

    const result = await runCli(['rules', 'check', file]);

    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^loaded\s+Good rule/m);
    expect(`${result.stdout}${result.stderr}`).toMatch(/broken\.yaml:[6-8]:\d+/);
  });
});
