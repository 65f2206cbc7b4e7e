/**
 * Normalizes a tar entry name to an absolute path inside the image root. Layer tars name
 * entries relative to the root (`./etc/passwd`, `etc/`), some with a leading `/`; `.` and `..`
 * are collapsed. A name that climbs above the root is unsafe: the caller skips the entry.
 *
 * Returns the components (`['etc', 'passwd']`, `[]` for the root) or undefined when unsafe.
 *
 * @example
 * entryComponents('./etc/os-release'); // ['etc', 'os-release']
 * entryComponents('/usr/../etc/'); // ['etc']
 * entryComponents('../etc/shadow'); // undefined
 */
export function entryComponents(raw: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  const length = raw.length;
  // Split by hand: one pass, no intermediate array of empty and `.` pieces.
  for (let i = 0; i <= length; i += 1) {
    if (i < length && raw.charCodeAt(i) !== 47) {
      continue;
    }
    const part = raw.slice(start, i);
    start = i + 1;
    if (part === '' || part === '.') {
      continue;
    }
    if (part === '..') {
      if (parts.length === 0) {
        return undefined;
      }
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts;
}

/**
 * `['etc', 'passwd']` → `/etc/passwd`.
 *
 * @example
 * joinComponents(['etc', 'passwd']); // '/etc/passwd'
 */
export function joinComponents(parts: readonly string[]): string {
  return `/${parts.join('/')}`;
}

/**
 * Resolves a symlink target against the link's directory, clamping `..` at the root: inside an
 * image, `/` is the image root, so `../../../../etc/shadow` from `/etc` is `/etc/shadow`.
 *
 * @example
 * clampedComponents(['etc'], '../usr/lib/os-release'); // ['usr', 'lib', 'os-release']
 */
export function clampedComponents(base: readonly string[], target: string): string[] {
  const parts = target.startsWith('/') ? [] : [...base];
  for (const part of target.split('/')) {
    if (part === '' || part === '.') {
      continue;
    }
    if (part === '..') {
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return parts;
}
