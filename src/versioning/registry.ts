import { apk } from './apk.js';
import { dpkg } from './dpkg.js';
import { semver } from './semver.js';
import type { ParsingVersionScheme } from './types.js';

/**
 * Every version scheme bulkhead knows, listed by hand so that adding one is a visible change.
 * `registry.test.ts` fails when a scheme file in this folder is missing here or an id repeats.
 */
const SCHEMES: readonly ParsingVersionScheme<unknown>[] = [apk, dpkg, semver];

/**
 * Looks a scheme up by id. An unknown id is a programming error (ids come from analyzers and the
 * vulnerability DB, never from users), so it throws.
 *
 * @example
 * getScheme('dpkg').compare('1:1.0', '2.0'); // > 0
 */
export function getScheme(id: string): ParsingVersionScheme<unknown> {
  const scheme = SCHEMES.find((candidate) => candidate.id === id);
  if (scheme === undefined) {
    throw new Error(`unknown version scheme "${id}" (known: ${schemeIds().join(', ')})`);
  }

  return scheme;
}

/**
 * The ids of all registered schemes, in registry order.
 *
 * @example
 * schemeIds(); // ['apk', 'dpkg', 'semver']
 */
export function schemeIds(): string[] {
  return SCHEMES.map((scheme) => scheme.id);
}
