import { describe, expect, it } from 'vitest';

import { loadFalcoRules } from '../../policy/falco/engine.js';
import { kindsForRules, watchedPathsFor } from './rule-needs.js';

describe('runtime/watch/rule-needs', () => {
  it('asks for the kinds behind the rules event types, plus exec and exit', () => {
    const text = `
- rule: ptrace
  desc: d
  condition: evt.type = ptrace
  output: x
  priority: WARNING
- rule: opens
  desc: d
  condition: evt.type in (open, openat) and fd.name = /etc/shadow
  output: x
  priority: WARNING
`;
    const { ruleset } = loadFalcoRules([{ file: 'r.yaml', text }]);

    expect(kindsForRules(ruleset)).toEqual(['exec', 'exit', 'open', 'ptrace']);
  });

  it.each([
    ['a bare path', 'fd.name = /srv/secret', '/srv/secret'],
    ['a glob, cut at the wildcard', "fd.name glob '/home/*/.ssh/*'", '/home/'],
    ['a list item', 'items: [/opt/app/key.pem, other]', '/opt/app/key.pem'],
  ])('watches %s', (_name, text, path) => {
    expect(watchedPathsFor([text])).toContain(path);
  });

  it('keeps only the shortest of nested prefixes and ignores non-paths', () => {
    const paths = watchedPathsFor(['/srv/a /srv/a/b and/or http://x/y %proc.name']);

    expect(paths).toContain('/srv/a');
    expect(paths).not.toContain('/srv/a/b');
    expect(paths.some((p) => p.startsWith('/or') || p.includes('x/y'))).toBe(false);
  });
});
