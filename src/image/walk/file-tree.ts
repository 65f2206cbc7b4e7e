import type { FileInfo, FileType, FileView } from '../walker-types.js';
import { entryComponents } from './paths.js';

/**
 * One path of the view. A class rather than object literals so every node shares one compact
 * hidden class: an image can hold millions of paths.
 */
export class FileNode implements FileInfo {
  constructor(
    public type: FileType,
    public mode: number,
    public size: number,
    public uid: number,
    public gid: number,
    public linkTarget: string | undefined,
    public layer: number,
    public children: Map<string, FileNode> | undefined,
  ) {}
}

/** Fields of a node as an entry describes them. */
export interface NodeFields {
  type: FileType;
  mode: number;
  size: number;
  uid: number;
  gid: number;
  linkTarget: string | undefined;
}

/**
 * The merged filesystem of the layers applied so far, as metadata. Every operation is a loop
 * over components, never a recursion: a path 10,000 components deep costs time, not stack.
 */
export class FileTree implements FileView {
  readonly root = new FileNode('dir', 0o755, 0, 0, 0, undefined, 0, new Map());
  #count: number | undefined = 0;

  /** Walks to a node without following symlinks. */
  lookup(parts: readonly string[]): FileNode | undefined {
    let node: FileNode | undefined = this.root;
    for (const part of parts) {
      node = node.children?.get(part);
      if (node === undefined) {
        return undefined;
      }
    }
    return node;
  }

  get(path: string): FileInfo | undefined {
    const parts = entryComponents(path);
    return parts === undefined ? undefined : this.lookup(parts);
  }

  /**
   * Writes an entry of `layer`. Missing parents become directories of that layer; a non-directory
   * in the way is replaced. A directory over a directory keeps its children (layers merge,
   * image-spec layer.md "Changesets"); anything else replaces what was there.
   */
  put(parts: readonly string[], fields: NodeFields, layer: number): FileNode {
    if (parts.length === 0) {
      this.root.mode = fields.mode;
      this.root.layer = layer;
      return this.root;
    }
    const parent = this.#parentDir(parts, layer);
    const name = parts[parts.length - 1] as string;
    const existing = parent.children?.get(name);
    if (fields.type === 'dir' && existing?.type === 'dir') {
      existing.mode = fields.mode;
      existing.uid = fields.uid;
      existing.gid = fields.gid;
      existing.layer = layer;
      return existing;
    }
    const children = fields.type === 'dir' ? new Map<string, FileNode>() : undefined;
    const node = new FileNode(
      fields.type,
      fields.mode,
      fields.size,
      fields.uid,
      fields.gid,
      fields.linkTarget,
      layer,
      children,
    );
    (parent.children as Map<string, FileNode>).set(name, node);
    this.#count = undefined;
    return node;
  }

  /**
   * Applies a whiteout `.wh.<name>` of `layer`: removes what lower layers put at `parts`
   * (layer.md "Whiteouts": a whiteout never hides content of its own layer).
   */
  whiteout(parts: readonly string[], layer: number): void {
    const parent = this.lookup(parts.slice(0, -1));
    const name = parts[parts.length - 1] as string;
    const node = parent?.children?.get(name);
    if (parent === undefined || node === undefined) {
      return;
    }
    if (node.type === 'dir') {
      this.#pruneLower(node, layer);
      if (node.layer >= layer || (node.children?.size ?? 0) > 0) {
        return;
      }
    } else if (node.layer >= layer) {
      return;
    }
    parent.children?.delete(name);
    this.#count = undefined;
  }

  /**
   * Applies an opaque whiteout `.wh..wh..opq` of `layer` in directory `parts`: everything lower
   * layers put under it is hidden, its own layer's entries stay (layer.md "Opaque Whiteout").
   */
  opaque(parts: readonly string[], layer: number): void {
    let dir = this.lookup(parts);
    if (dir?.type !== 'dir') {
      dir = this.put(
        parts,
        { type: 'dir', mode: 0o755, size: 0, uid: 0, gid: 0, linkTarget: undefined },
        layer,
      );
    }
    this.#pruneLower(dir, layer);
  }

  get count(): number {
    if (this.#count === undefined) {
      let count = 0;
      const stack: FileNode[] = [this.root];
      for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
        for (const child of node.children?.values() ?? []) {
          count += 1;
          if (child.children !== undefined) stack.push(child);
        }
      }
      this.#count = count;
    }
    return this.#count;
  }

  *entries(): IterableIterator<[string, FileInfo]> {
    // Pre-order depth first with an explicit stack; children pushed in reverse name order so
    // they come off sorted.
    const stack: [string, FileNode][] = [['', this.root]];
    for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
      const [path, node] = item;
      if (node !== this.root) {
        yield item;
      }
      if (node.children === undefined) {
        continue;
      }
      const names = [...node.children.keys()].sort();
      for (let i = names.length - 1; i >= 0; i -= 1) {
        const name = names[i] as string;
        stack.push([`${path}/${name}`, node.children.get(name) as FileNode]);
      }
    }
  }

  /** Removes, under `dir`, every node written by a layer below `layer`. */
  #pruneLower(dir: FileNode, layer: number): void {
    const stack: FileNode[] = [dir];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      for (const [name, child] of node.children ?? []) {
        if (child.layer < layer) {
          node.children?.delete(name);
          this.#count = undefined;
        } else if (child.children !== undefined) {
          stack.push(child);
        }
      }
    }
  }

  #parentDir(parts: readonly string[], layer: number): FileNode {
    let node = this.root;
    for (let i = 0; i < parts.length - 1; i += 1) {
      const name = parts[i] as string;
      let child = node.children?.get(name);
      if (child?.type !== 'dir') {
        child = new FileNode('dir', 0o755, 0, 0, 0, undefined, layer, new Map());
        (node.children as Map<string, FileNode>).set(name, child);
        this.#count = undefined;
      }
      node = child;
    }
    return node;
  }
}
