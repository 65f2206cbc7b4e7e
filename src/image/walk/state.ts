import type { Analyzer, AnalyzerContext, AnalyzerOutput } from '../../analyzers/types.js';
import type { Logger } from '../../core/logger.js';
import type { LayerInfo, ScanWarning } from '../../inventory/types.js';
import type { WalkLimits, WalkStats } from '../walker-types.js';
import { FileTree, type FileNode } from './file-tree.js';
import { entryComponents, joinComponents } from './paths.js';

/** One layer's word on a tracked path: it wrote the file (with these outputs) or removed it. */
export interface PathEvent {
  layer: number;
  deleted: boolean;
  /** Output of each analyzer that read this version; undefined when it returned nothing. */
  outputs: Map<string, AnalyzerOutput | undefined>;
}

/** Everything that happened to a path some analyzer matches, layer by layer. */
export interface PathHistory {
  path: string;
  parts: string[];
  events: PathEvent[];
  /** The node the path had after the last layer checked, to notice removals. */
  node: FileNode | undefined;
}

/** A request for one file's content, served by a targeted re-read of the layer holding it. */
export interface ContentRequest {
  readers: Analyzer[];
  deliver(content: Buffer): void;
}

/** Requests by layer, then by content path. */
export type ContentBatch = Map<number, Map<string, ContentRequest[]>>;

export interface WalkState {
  tree: FileTree;
  analyzers: readonly Analyzer[];
  limits: WalkLimits;
  log: Logger;
  warnings: ScanWarning[];
  stats: WalkStats;
  histories: Map<string, PathHistory>;
  /** Empty for a directory scan. */
  layers: LayerInfo[];
  ctx: AnalyzerContext;
  /**
   * Lexical targets of analyzer-matched symlinks (`/etc/os-release -> ../usr/lib/os-release`
   * wants `/usr/lib/os-release`), with the most bytes any of their analyzers reads. A regular
   * file at such a path met later in the walk is captured, so resolving the symlink at the end
   * needs no second read of the layer.
   */
  wanted: Map<string, number>;
  /** Content captured for `wanted` paths: the latest version and the layer that wrote it. */
  captured: Map<string, { layer: number; content: Buffer }>;
  /** Analyzers by each normalized path of their `requiredPaths`. */
  required: Map<string, Analyzer[]>;
  /**
   * Where a hard link's bytes live: the regular file it named and the layer that wrote that
   * file, as of the link's own layer (a later layer may replace the file, not the link).
   */
  linkSources: WeakMap<FileNode, ContentSource>;
}

/** A regular file's bytes in a layer tar: what a targeted re-read asks for. */
export interface ContentSource {
  layer: number;
  /** Absolute path of the file entry in that layer. */
  path: string;
}

/**
 * Fresh state for one walk.
 *
 * @example
 * const state = createState(analyzers, resolveLimits(undefined), log, image.layers.map(layerInfo));
 */
export function createState(
  analyzers: readonly Analyzer[],
  limits: WalkLimits,
  log: Logger,
  layers: LayerInfo[],
): WalkState {
  const warnings: ScanWarning[] = [];
  return {
    tree: new FileTree(),
    analyzers,
    limits,
    log,
    warnings,
    stats: { layers: layers.length, entries: 0, bytesRead: 0, analyzedFiles: 0, skippedEntries: 0 },
    histories: new Map(),
    layers,
    ctx: { log, warn: (warning) => warnings.push(warning) },
    wanted: new Map(),
    captured: new Map(),
    required: requiredByPath(analyzers),
    linkSources: new WeakMap(),
  };
}

function requiredByPath(analyzers: readonly Analyzer[]): Map<string, Analyzer[]> {
  const required = new Map<string, Analyzer[]>();
  for (const analyzer of analyzers) {
    for (const raw of analyzer.requiredPaths ?? []) {
      const parts = entryComponents(raw);
      if (parts === undefined || parts.length === 0) continue;
      const path = joinComponents(parts);
      const list = required.get(path) ?? [];
      if (!list.includes(analyzer)) list.push(analyzer);
      required.set(path, list);
    }
  }
  return required;
}

/**
 * Where the bytes of a file-like node live: a regular file's own path and layer, or for a hard
 * link those of the file it names. Undefined for anything else.
 *
 * @example
 * contentSource(state, node, '/x/hl'); // { layer: 0, path: '/data/st' }
 */
export function contentSource(
  state: WalkState,
  node: FileNode | undefined,
  path: string,
): ContentSource | undefined {
  if (node?.type === 'file') return { layer: node.layer, path };
  if (node?.type === 'hardlink') return state.linkSources.get(node);
  return undefined;
}

/**
 * Analyzers whose `matches` accepts the path or whose `requiredPaths` lists it; undefined (no
 * allocation) when none does.
 *
 * @example
 * matching(state, '/var/lib/dpkg/status'); // [dpkgAnalyzer]
 */
export function matching(state: WalkState, path: string): Analyzer[] | undefined {
  let found: Analyzer[] | undefined;
  const required = state.required.size === 0 ? undefined : state.required.get(path);
  for (const analyzer of state.analyzers) {
    if (analyzer.matches(path) || required?.includes(analyzer) === true) {
      (found ??= []).push(analyzer);
    }
  }
  return found;
}

/**
 * Splits matching analyzers into those that may read a file of `size` bytes and warns for the
 * others (the file is not read for them).
 *
 * @example
 * const readers = readersFor(state, matched, '/var/lib/dpkg/status', 77271, 'layer 0');
 */
export function readersFor(
  state: WalkState,
  matched: Analyzer[],
  path: string,
  size: number,
  where: string,
): Analyzer[] {
  const readers: Analyzer[] = [];
  for (const analyzer of matched) {
    if (size <= analyzer.maxFileSize) {
      readers.push(analyzer);
      continue;
    }
    state.warnings.push({
      code: 'file-too-large',
      message: `${path} (${size} bytes) is larger than analyzer ${analyzer.id} reads (${analyzer.maxFileSize}); not analyzed`,
      location: `${where}: ${path}`,
    });
  }
  return readers;
}

/**
 * Hands one file's content to each reader; an analyzer that throws becomes a warning.
 *
 * @example
 * const outputs = analyze(state, readers, '/etc/os-release', content, 0);
 */
export function analyze(
  state: WalkState,
  readers: readonly Analyzer[],
  path: string,
  content: Buffer,
  layer: number | undefined,
): Map<string, AnalyzerOutput | undefined> {
  const outputs = new Map<string, AnalyzerOutput | undefined>();
  const info = layer === undefined ? undefined : state.layers[layer];
  state.stats.analyzedFiles += 1;
  for (const analyzer of readers) {
    try {
      outputs.set(
        analyzer.id,
        analyzer.analyze(
          info === undefined ? { path, content } : { path, content, layer: info },
          state.ctx,
        ),
      );
    } catch (err) {
      state.warnings.push({
        code: 'analyzer-failed',
        message: `analyzer ${analyzer.id} failed on ${path}: ${err instanceof Error ? err.message : String(err)}`,
        location: path,
      });
    }
  }
  return outputs;
}

/**
 * The history of a tracked path, created on first sight.
 *
 * @example
 * historyOf(state, '/var/lib/dpkg/status', ['var', 'lib', 'dpkg', 'status']);
 */
export function historyOf(state: WalkState, path: string, parts: string[]): PathHistory {
  let history = state.histories.get(path);
  if (history === undefined) {
    history = { path, parts, events: [], node: undefined };
    state.histories.set(path, history);
  }
  return history;
}

/**
 * Records that `layer` wrote a new version of a tracked file (a later write in the same layer wins).
 *
 * @example
 * recordWrite(history, node, 2, outputs);
 */
export function recordWrite(
  history: PathHistory,
  node: FileNode,
  layer: number,
  outputs: PathEvent['outputs'],
): PathEvent {
  const last = history.events[history.events.length - 1];
  const event: PathEvent = { layer, deleted: false, outputs };
  if (last?.layer === layer) {
    history.events[history.events.length - 1] = event;
  } else {
    history.events.push(event);
  }
  history.node = node;
  return event;
}

/**
 * After a layer: a tracked path whose node changed other than by a file write of this layer
 * (whiteout, opaque directory, replaced by a symlink or directory) records a removal, which
 * ends the chain used for layer attribution.
 *
 * @example
 * noteRemovals(state, layer.index); // after each layer
 */
export function noteRemovals(state: WalkState, layer: number): void {
  for (const history of state.histories.values()) {
    const current = state.tree.lookup(history.parts);
    if (current === history.node) {
      continue;
    }
    const last = history.events[history.events.length - 1];
    if (last !== undefined && !last.deleted) {
      history.events.push({ layer, deleted: true, outputs: new Map() });
    }
    history.node = current;
  }
}

/**
 * Adds a content request to a batch.
 *
 * @example
 * request(batch, 0, '/usr/lib/os-release', { readers, deliver: (content) => use(content) });
 */
export function request(
  batch: ContentBatch,
  layer: number,
  path: string,
  req: ContentRequest,
): void {
  let byPath = batch.get(layer);
  if (byPath === undefined) {
    byPath = new Map();
    batch.set(layer, byPath);
  }
  const list = byPath.get(path);
  if (list === undefined) {
    byPath.set(path, [req]);
  } else {
    list.push(req);
  }
}
