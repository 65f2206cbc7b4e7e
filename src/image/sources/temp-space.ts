import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The one private directory an opened image may write to (a decompressed archive, an image
 * saved from the engine). It is created on first use and removed by `remove()`; nothing an
 * image source writes lands anywhere else.
 */
export interface TempSpace {
  /** Absolute path of a file inside the directory, creating the directory on first use. */
  file(name: string): Promise<string>;
  /** The directory, once created; undefined before first use or after removal. */
  readonly path: string | undefined;
  /** Deletes the directory and everything in it. Safe to call twice. */
  remove(): Promise<void>;
}

/** Every temp directory created and not yet removed, for a signal handler to clean up. */
const live = new Set<string>();

/**
 * Makes a lazily created temp directory `bulkhead-XXXXXX` under `root` (default `os.tmpdir()`).
 *
 * @example
 * const temp = createTempSpace();
 * const target = await temp.file('image.tar');
 * await temp.remove();
 */
export function createTempSpace(root?: string): TempSpace {
  let dir: string | undefined;
  let creating: Promise<string> | undefined;

  return {
    get path() {
      return dir;
    },
    async file(name) {
      creating ??= mkdtemp(join(root ?? tmpdir(), 'bulkhead-')).then((made) => {
        live.add(made);
        return (dir = made);
      });
      return join(await creating, name);
    },
    async remove() {
      const made = dir ?? (creating ? await creating.catch(() => undefined) : undefined);
      dir = undefined;
      creating = undefined;
      if (made !== undefined) {
        await rm(made, { recursive: true, force: true });
        live.delete(made);
      }
    },
  };
}

/**
 * Synchronously deletes every temp directory still live in this process, ignoring errors. For
 * a SIGINT or SIGTERM handler, which must not wait for promises before the process exits.
 *
 * @example
 * process.once('SIGINT', () => {
 *   removeAllTempSpacesSync();
 *   process.exit(130);
 * });
 */
export function removeAllTempSpacesSync(): void {
  for (const made of live) {
    try {
      rmSync(made, { recursive: true, force: true });
    } catch {
      // Best effort on the way out: a directory that cannot be removed is left behind.
    }
    live.delete(made);
  }
}
