import { describe, expect, it } from 'vitest';
import { clampedComponents, entryComponents, joinComponents } from './paths.js';

describe('image/walk/paths', () => {
  it.each([
    ['./etc/passwd', '/etc/passwd'],
    ['etc/', '/etc'],
    ['./', '/'],
    ['/usr/bin/env', '/usr/bin/env'],
    ['usr//lib/./os-release', '/usr/lib/os-release'],
    ['a/b/../c', '/a/c'],
    ['/usr/../etc/', '/etc'],
  ])('normalizes entry %j to %j', (raw, expected) => {
    const parts = entryComponents(raw);

    expect(parts && joinComponents(parts)).toBe(expected);
  });

  it.each(['../etc/shadow', '/../etc/shadow', 'a/../../b', './..'])(
    'rejects %j as escaping the root',
    (raw) => {
      expect(entryComponents(raw)).toBeUndefined();
    },
  );

  it.each([
    [['etc'], '../usr/lib/os-release', '/usr/lib/os-release'],
    [['etc'], '../../../../etc/shadow', '/etc/shadow'],
    [['a', 'b'], '/x/./y', '/x/y'],
  ])('resolves a link in %j to %j inside the root', (base, target, expected) => {
    expect(joinComponents(clampedComponents(base, target))).toBe(expected);
  });
});
