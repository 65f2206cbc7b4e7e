import type { Analyzer } from '../analyzers/types.js';
import type { Progress } from '../core/progress.js';
import { layerInfo } from './sources/documents.js';
import type { ImageLayer, OpenedImage } from './types.js';
import { layerLabel, layerVisitor } from './walk/apply-layer.js';
import { readDeferred } from './walk/deferred.js';
import { readDeferredFromDir, scanDirectory } from './walk/dir-walk.js';
import { openLayerTar } from './walk/layer-stream.js';
import { resolveLimits, tooLarge } from './walk/limits.js';
import { finalOutputs } from './walk/outputs.js';
import { createState, noteRemovals, type ContentBatch, type WalkState } from './walk/state.js';
import { resolveSymlinks } from './walk/symlinks.js';
import { runTarPass } from './walk/tar-pass.js';
import type { WalkOptions, WalkResult } from './walker-types.js';

/**
 * Applies an image's layers in order, one pass over each layer tar, and runs the analyzers on
 * the files they match. Returns the final filesystem view (metadata only), the outputs of the
 * final version of each analyzed path with packages attributed to the layer that introduced
 * them, warnings and counters. Nothing is written to disk.
 *
 * @example
 * const image = await openImage('docker-archive:/var/cache/bulkhead-test/bookworm.tar', { log, progress });
 * try {
 *   const result = await walkImage(image, [dpkgAnalyzer, osReleaseAnalyzer], { log, progress });
 *   result.files.get('/etc/os-release'); // { type: 'symlink', linkTarget: '../usr/lib/os-release', ... }
 * } finally {
 *   await image.close();
 * }
 */
export async function walkImage(
  image: OpenedImage,
  analyzers: readonly Analyzer[],
  options: WalkOptions,
): Promise<WalkResult> {
  const state = createState(
    analyzers,
    resolveLimits(options.limits),
    options.log.child('image'),
    image.layers.map(layerInfo),
  );
  const deferred: ContentBatch = new Map();
  for (const layer of image.layers) {
    await applyLayer(state, layer, image.layers.length, deferred, options.progress);
    noteRemovals(state, layer.index);
  }
  await readDeferred(state, image.layers, deferred, options.progress);
  const targets: ContentBatch = new Map();
  const linked = resolveSymlinks(state, targets);
  await readDeferred(state, image.layers, targets, options.progress);
  options.log.debug(
    `walked ${state.stats.layers} layers: ${state.stats.entries} entries, ${state.tree.count} paths in the final view`,
  );
  return {
    outputs: finalOutputs(state, linked),
    files: state.tree,
    warnings: state.warnings,
    stats: state.stats,
  };
}

/**
 * Scans a host directory (`bulkhead fs DIR`) the same way: one view, analyzers on matching
 * files, symlinks resolved inside DIR. Outputs carry no layer.
 *
 * @example
 * const result = await walkDirectory('/srv/rootfs', analyzers, { log, progress: noProgress });
 * result.stats.entries; // 6675
 */
export async function walkDirectory(
  dir: string,
  analyzers: readonly Analyzer[],
  options: WalkOptions,
): Promise<WalkResult> {
  const state = createState(
    analyzers,
    resolveLimits(options.limits),
    options.log.child('image'),
    [],
  );
  await scanDirectory(state, dir, options.progress);
  const targets: ContentBatch = new Map();
  const linked = resolveSymlinks(state, targets);
  await readDeferredFromDir(state, dir, targets);
  return {
    outputs: finalOutputs(state, linked),
    files: state.tree,
    warnings: state.warnings,
    stats: state.stats,
  };
}

async function applyLayer(
  state: WalkState,
  layer: ImageLayer,
  count: number,
  deferred: ContentBatch,
  progress: Progress,
) {
  const where = layerLabel(state, layer.index);
  const { limits, stats } = state;
  const task = progress.start(
    `layer ${layer.index + 1}/${count} ${layer.digest.slice(0, 19)}`,
    layer.size,
    'bytes',
  );
  const { tar, compression } = await openLayerTar(layer, (n) => task.advance(n));
  const visitor = layerVisitor(state, layer.index, deferred);
  try {
    await runTarPass(tar, visitor, where, (bytes) => {
      stats.bytesRead += bytes;
      // Checked per chunk: a decompression bomb is stopped after at most one chunk too many.
      if (stats.bytesRead > limits.maxTotalBytes)
        throw tooLarge(where, 'maxTotalBytes', limits.maxTotalBytes);
      if (compression === 'none') task.advance(bytes);
    });
    visitor.finish();
  } finally {
    tar.destroy();
    task.done();
  }
}
