import { describe, expect, it } from 'vitest';
import { FileTree, type NodeFields } from './file-tree.js';
import { resolveInRoot } from './resolve.js';

const file: NodeFields = {
  type: 'file',
  mode: 0o644,
  size: 1,
  uid: 0,
  gid: 0,
  linkTarget: undefined,
};
const dir: NodeFields = { ...file, type: 'dir', size: 0 };
const link = (target: string): NodeFields => ({
  ...file,
  type: 'symlink',
  size: 0,
  linkTarget: target,
});
const p = (path: string) => path.split('/').filter(Boolean);

describe('image/walk/file-tree', () => {
  it('merges directories across layers and replaces files', () => {
    const tree = new FileTree();
    tree.put(p('opt/data/a'), file, 0);

    tree.put(p('opt/data'), { ...dir, mode: 0o700 }, 1);
    tree.put(p('opt/data/b'), file, 1);

    expect(tree.get('/opt/data')).toMatchObject({ mode: 0o700, layer: 1 });
    expect([...tree.entries()].map(([path]) => path)).toEqual([
      '/opt',
      '/opt/data',
      '/opt/data/a',
      '/opt/data/b',
    ]);
    expect(tree.count).toBe(4);
  });

  it('applies a whiteout to lower layers only', () => {
    const tree = new FileTree();
    tree.put(p('etc/debian_version'), file, 0);
    tree.put(p('etc/new'), file, 1);

    tree.whiteout(p('etc/debian_version'), 1);
    tree.whiteout(p('etc/new'), 1);

    expect(tree.get('/etc/debian_version')).toBeUndefined();
    expect(tree.get('/etc/new')).toBeDefined();
  });

  it('keeps same-layer children when a directory is whited out', () => {
    const tree = new FileTree();
    tree.put(p('a/old'), file, 0);
    tree.put(p('a/new'), file, 1);

    tree.whiteout(p('a'), 1);

    expect(tree.get('/a/old')).toBeUndefined();
    expect(tree.get('/a/new')).toBeDefined();
  });

  it('hides lower content of an opaque directory, keeping its own layer', () => {
    const tree = new FileTree();
    tree.put(p('opt/data/a'), file, 0);
    tree.put(p('opt/data/sub/b'), file, 0);
    tree.put(p('opt/data/c'), file, 1);

    tree.opaque(p('opt/data'), 1);

    expect([...tree.entries()].map(([path]) => path)).toEqual(['/opt', '/opt/data', '/opt/data/c']);
  });

  it('handles a path 10,000 components deep without recursion', () => {
    const tree = new FileTree();
    const deep = Array.from({ length: 10_000 }, () => 'd');

    tree.put([...deep, 'f'], file, 0);
    const entries = [...tree.entries()];
    tree.opaque(['d'], 1);

    expect(entries).toHaveLength(10_001);
    expect(tree.count).toBe(1);
  });

  it('resolves symlinks inside the root, clamping .. and absolute targets', () => {
    const tree = new FileTree();
    tree.put(p('etc/shadow'), file, 0);
    tree.put(p('usr/lib/os-release'), file, 0);
    tree.put(p('etc/os-release'), link('../usr/lib/os-release'), 0);
    tree.put(p('etc/evil'), link('../../../../etc/shadow'), 0);
    tree.put(p('lib'), link('usr/lib'), 0);
    tree.put(p('abs'), link('/lib/os-release'), 0);

    const resolved = ['etc/os-release', 'etc/evil', 'lib/os-release', 'abs'].map((path) => {
      const result = resolveInRoot(tree, p(path));
      return result.ok ? `/${result.parts.join('/')}` : result.reason;
    });

    expect(resolved).toEqual([
      '/usr/lib/os-release',
      '/etc/shadow',
      '/usr/lib/os-release',
      '/usr/lib/os-release',
    ]);
  });

  it('stops a symlink loop after 40 hops', () => {
    const tree = new FileTree();
    tree.put(p('a'), link('b'), 0);
    tree.put(p('b'), link('/a'), 0);

    expect(resolveInRoot(tree, ['a'])).toEqual({ ok: false, reason: 'loop' });
  });
});
