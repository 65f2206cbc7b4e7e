import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** bulkhead's own version, from package.json (two levels above both src/core and dist/core). */
export function toolVersion(): string {
  if (cached === undefined) {
    const raw = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    cached = (JSON.parse(raw) as { version: string }).version;
  }
  return cached;
}
