import type { Analyzer, AnalyzerOutput } from '../../analyzers/types.js';
import { layerLabel } from './apply-layer.js';
import { entryComponents, joinComponents } from './paths.js';
import { resolveInRoot } from './resolve.js';
import {
  analyze,
  contentSource,
  matching,
  request,
  type ContentBatch,
  type ContentSource,
  type PathEvent,
  type PathHistory,
  type WalkState,
} from './state.js';

/** An output read through a symlink of the final view. */
export interface LinkedOutput {
  analyzerId: string;
  /** The symlink's own path (`/etc/os-release`). */
  path: string;
  /** Layer that holds the content read. */
  layer: number;
  output: AnalyzerOutput;
  /** History of the content path when its own output was reused, for attribution. */
  history?: PathHistory;
}

/**
 * For every analyzer-matched path that is a symlink in the final view, resolves it inside the
 * image root and reads the regular file it reaches. Debian's `/etc/os-release` is
 * `-> ../usr/lib/os-release`. An output the same analyzer made of the target is reused;
 * otherwise the target is requested in `batch` and analyzed under the symlink's path.
 *
 * Then each analyzer's `requiredPaths` that the walk did not already meet as a file or symlink
 * (`/var/lib/dpkg/status` when `/var/lib -> /opt/lib`) is resolved the same way and, when it
 * reaches a regular file, read and analyzed under the required path.
 *
 * @example
 * const linked = resolveSymlinks(state, batch); // fill after readDeferred(batch)
 */
export function resolveSymlinks(state: WalkState, batch: ContentBatch): LinkedOutput[] {
  const linked: LinkedOutput[] = [];
  for (const history of state.histories.values()) {
    const node = state.tree.lookup(history.parts);
    if (node?.type !== 'symlink') {
      continue;
    }
    const source = resolveSource(state, history.path, history.parts);
    if (source === undefined) {
      continue;
    }
    const targetHistory = state.histories.get(source.path);
    const event = targetHistory?.events[targetHistory.events.length - 1];
    const readers: Analyzer[] = [];
    for (const analyzer of matching(state, history.path) ?? []) {
      const reused =
        event !== undefined && !event.deleted && event.layer === source.layer
          ? event.outputs.get(analyzer.id)
          : undefined;
      if (reused !== undefined && targetHistory !== undefined) {
        linked.push({
          analyzerId: analyzer.id,
          path: history.path,
          layer: source.layer,
          output: reused,
          history: targetHistory,
        });
      } else if (fits(state, analyzer, source, history.path)) {
        readers.push(analyzer);
      }
    }
    readVia(state, batch, linked, history.path, source, readers);
  }
  resolveRequired(state, batch, linked);
  return linked;
}

/** A file reached through a symlink, and its size. */
interface ResolvedSource extends ContentSource {
  size: number;
}

/** Resolves `parts` in the final view to the bytes of the regular file it reaches, if any. */
function resolveSource(
  state: WalkState,
  path: string,
  parts: readonly string[],
): ResolvedSource | undefined {
  const resolved = resolveInRoot(state.tree, parts);
  if (!resolved.ok) {
    if (resolved.reason === 'loop') {
      state.warnings.push({
        code: 'symlink-loop',
        message: `${path} loops or passes more than 40 symlinks; not analyzed`,
        location: path,
      });
    }
    return undefined;
  }
  // A hard link's content lives at the file it names, in the layer that wrote that file.
  const source = contentSource(state, resolved.node, joinComponents(resolved.parts));
  return source === undefined ? undefined : { ...source, size: resolved.node.size };
}

/** Whether the analyzer reads a file this large; warns when not. */
function fits(state: WalkState, analyzer: Analyzer, source: ResolvedSource, via: string): boolean {
  if (source.size <= analyzer.maxFileSize) {
    return true;
  }
  state.warnings.push({
    code: 'file-too-large',
    message: `${source.path} (${source.size} bytes, via ${via}) is larger than analyzer ${analyzer.id} reads`,
    location: `${layerLabel(state, source.layer)}: ${source.path}`,
  });
  return false;
}

/** Analyzes the source's content under `path`, from captured content or a targeted re-read. */
function readVia(
  state: WalkState,
  batch: ContentBatch,
  linked: LinkedOutput[],
  path: string,
  source: ResolvedSource,
  readers: Analyzer[],
): void {
  if (readers.length === 0) {
    return;
  }
  const deliver = (content: Buffer) => {
    for (const [analyzerId, output] of analyze(
      state,
      readers,
      path,
      content,
      state.layers.length > 0 ? source.layer : undefined,
    )) {
      if (output !== undefined) linked.push({ analyzerId, path, layer: source.layer, output });
    }
  };
  const captured = state.captured.get(source.path);
  if (captured?.layer === source.layer) {
    deliver(captured.content);
    return;
  }
  request(batch, source.layer, source.path, { readers, deliver });
}

/**
 * Required paths hidden behind a directory symlink. A path the walk met as a file was analyzed
 * where it lies, and one met as a symlink was handled above; the rest are resolved through
 * the final view. When the analyzer already read the file it reaches under that file's own
 * path, that output stands and the file is not analyzed twice.
 */
function resolveRequired(state: WalkState, batch: ContentBatch, linked: LinkedOutput[]): void {
  for (const [path, analyzers] of state.required) {
    const parts = entryComponents(path) ?? [];
    const node = state.tree.lookup(parts);
    if (node !== undefined && node.type !== 'dir') {
      continue;
    }
    const source = resolveSource(state, path, parts);
    if (source === undefined) {
      continue;
    }
    const event = finalEvent(state, source);
    const readers = analyzers.filter(
      (analyzer) => event?.outputs.has(analyzer.id) !== true && fits(state, analyzer, source, path),
    );
    readVia(state, batch, linked, path, source, readers);
  }
}

/** The event that wrote the source's bytes, when the walk analyzed them under their own path. */
function finalEvent(state: WalkState, source: ContentSource): PathEvent | undefined {
  const history = state.histories.get(source.path);
  const event = history?.events[history.events.length - 1];
  return event !== undefined && !event.deleted && event.layer === source.layer ? event : undefined;
}
