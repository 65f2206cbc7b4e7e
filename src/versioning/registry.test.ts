import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

import { getScheme, schemeIds } from './registry.js';

const FOLDER = fileURLToPath(new URL('.', import.meta.url));

/** Whether a module export looks like a version scheme, whatever its file is called. */
function isScheme(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.id === 'string' && typeof candidate.compare === 'function';
}

describe('versioning/registry', () => {
  it('lists no id twice', () => {
    const ids = schemeIds();

    expect(new Set(ids).size).toBe(ids.length);
  });

  it('registers every scheme exported from this folder', async () => {
    const files = readdirSync(FOLDER).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const exported: string[] = [];
    for (const file of files) {
      const url = pathToFileURL(join(FOLDER, file)).href;
      const module = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
      for (const value of Object.values(module)) {
        if (isScheme(value)) exported.push((value as { id: string }).id);
      }
    }

    expect(exported.length).toBeGreaterThanOrEqual(3);
    expect([...schemeIds()].sort()).toEqual([...new Set(exported)].sort());
  });

  it.each(schemeIds())('returns the scheme registered as %s', (id) => {
    const scheme = getScheme(id);

    expect(scheme.id).toBe(id);
    expect(scheme.spec).toMatch(/^https:\/\//);
  });

  it('throws for an unknown id', () => {
    expect(() => getScheme('rpm')).toThrow(/unknown version scheme "rpm"/);
  });
});
