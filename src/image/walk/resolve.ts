import type { FileNode, FileTree } from './file-tree.js';

/** Linux follows at most 40 symlinks in one lookup (path_resolution(7), MAXSYMLINKS). */
export const MAX_SYMLINK_HOPS = 40;

export type Resolution =
  { ok: true; parts: string[]; node: FileNode } | { ok: false; reason: 'missing' | 'loop' };

/**
 * Resolves a path inside the image root, following symlinks at every component as the kernel
 * would in a container: absolute targets start again at the image root, and `..` stops at the
 * root, so no target can leave the image. Iterative, at most 40 hops.
 *
 * @example
 * // /etc/os-release -> ../usr/lib/os-release
 * resolveInRoot(tree, ['etc', 'os-release']); // { ok: true, parts: ['usr', 'lib', 'os-release'], node }
 */
export function resolveInRoot(tree: FileTree, path: readonly string[]): Resolution {
  // Components still to walk, next one last.
  const pending = [...path].reverse();
  const nodes: FileNode[] = [tree.root];
  const parts: string[] = [];
  let hops = 0;

  for (let part = pending.pop(); part !== undefined; part = pending.pop()) {
    if (part === '' || part === '.') {
      continue;
    }
    if (part === '..') {
      if (parts.length > 0) {
        parts.pop();
        nodes.pop();
      }
      continue;
    }
    const current = nodes[nodes.length - 1] as FileNode;
    const child = current.children?.get(part);
    if (child === undefined) {
      return { ok: false, reason: 'missing' };
    }
    if (child.type === 'symlink') {
      hops += 1;
      if (hops > MAX_SYMLINK_HOPS) {
        return { ok: false, reason: 'loop' };
      }
      const target = child.linkTarget ?? '';
      if (target.startsWith('/')) {
        parts.length = 0;
        nodes.length = 1;
      }
      const targetParts = target.split('/');
      for (let i = targetParts.length - 1; i >= 0; i -= 1) {
        pending.push(targetParts[i] as string);
      }
      continue;
    }
    if (pending.length > 0 && child.type !== 'dir') {
      return { ok: false, reason: 'missing' };
    }
    parts.push(part);
    nodes.push(child);
  }
  return { ok: true, parts, node: nodes[nodes.length - 1] as FileNode };
}
