import type { Analyzer, AnalyzerOutput } from '../../analyzers/types.js';
import { layerLabel } from './apply-layer.js';
import { entryComponents, joinComponents } from './paths.js';
import { resolveInRoot } from './resolve.js';
import {
  analyze,
  matching,
  request,
  type ContentBatch,
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
    const resolved = resolveInRoot(state.tree, history.parts);
    if (!resolved.ok) {
      if (resolved.reason === 'loop') {
        state.warnings.push({
          code: 'symlink-loop',
          message: `${history.path} loops or passes more than 40 symlinks; not analyzed`,
          location: history.path,
        });
      }
      continue;
    }
    const target = resolved.node;
    let parts = resolved.parts;
    // A hard link's content lives at its target, in the layer that wrote the link.
    if (target.type === 'hardlink' && target.linkTarget !== undefined) {
      parts = entryComponents(target.linkTarget) ?? parts;
    } else if (target.type !== 'file') {
      continue;
    }
    const contentPath = joinComponents(parts);
    const contentLayer = target.layer;
    const targetHistory = state.histories.get(contentPath);
    const event = targetHistory?.events[targetHistory.events.length - 1];
    const readers: Analyzer[] = [];
    for (const analyzer of matching(state.analyzers, history.path) ?? []) {
      const reused =
        event !== undefined && !event.deleted && event.layer === contentLayer
          ? event.outputs.get(analyzer.id)
          : undefined;
      if (reused !== undefined && targetHistory !== undefined) {
        linked.push({
          analyzerId: analyzer.id,
          path: history.path,
          layer: contentLayer,
          output: reused,
          history: targetHistory,
        });
      } else if (target.size > analyzer.maxFileSize) {
        state.warnings.push({
          code: 'file-too-large',
          message: `${contentPath} (${target.size} bytes, via ${history.path}) is larger than analyzer ${analyzer.id} reads`,
          location: `${layerLabel(state, contentLayer)}: ${contentPath}`,
        });
      } else {
        readers.push(analyzer);
      }
    }
    if (readers.length === 0) {
      continue;
    }
    const deliver = (content: Buffer) => {
      for (const [analyzerId, output] of analyze(
        state,
        readers,
        history.path,
        content,
        state.layers.length > 0 ? contentLayer : undefined,
      )) {
        if (output !== undefined)
          linked.push({ analyzerId, path: history.path, layer: contentLayer, output });
      }
    };
    const captured = state.captured.get(contentPath);
    if (captured?.layer === contentLayer) {
      deliver(captured.content);
      continue;
    }
    request(batch, contentLayer, contentPath, { readers, deliver });
  }
  return linked;
}
