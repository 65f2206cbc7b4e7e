import type { Progress } from '../../core/progress.js';
import type { ImageLayer } from '../types.js';
import { layerLabel } from './apply-layer.js';
import { openLayerTar } from './layer-stream.js';
import { entryComponents, joinComponents } from './paths.js';
import type { ContentBatch, ContentRequest, WalkState } from './state.js';
import { runTarPass } from './tar-pass.js';

/**
 * Serves a batch of content requests with one targeted re-read per layer: only the named
 * regular files are copied out, everything else is skipped by the parser. Needed only for a
 * hard link or symlink whose target no analyzer read in the main pass, which is rare.
 *
 * @example
 * await readDeferred(state, image.layers, batch, progress);
 */
export async function readDeferred(
  state: WalkState,
  layers: readonly ImageLayer[],
  batch: ContentBatch,
  progress: Progress,
): Promise<void> {
  for (const [index, wanted] of [...batch.entries()].sort((a, b) => a[0] - b[0])) {
    const layer = layers[index];
    if (layer === undefined) {
      continue;
    }
    const where = layerLabel(state, index);
    state.log.debug(`re-reading ${where} for ${wanted.size} link targets`);
    const found = new Map<string, Buffer>();
    let current: { path: string; buffer: Buffer; filled: number } | undefined;
    const task = progress.start(`re-reading ${where}`, layer.size, 'bytes');
    const { tar, compression } = await openLayerTar(layer, (n) => task.advance(n));
    await runTarPass(
      tar,
      {
        entry(entry) {
          if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile')
            return false;
          const parts = entryComponents(entry.path);
          const path = parts === undefined ? undefined : joinComponents(parts);
          const requests = path === undefined ? undefined : wanted.get(path);
          if (path === undefined || requests === undefined || entry.size > maxSize(requests))
            return false;
          current = { path, buffer: Buffer.allocUnsafe(entry.size), filled: 0 };
          if (entry.size === 0) found.set(path, current.buffer);
          return entry.size > 0;
        },
        data(chunk) {
          if (current === undefined) return;
          current.filled += chunk.copy(
            current.buffer,
            current.filled,
            0,
            Math.min(chunk.length, current.buffer.length - current.filled),
          );
        },
        end() {
          if (current !== undefined)
            found.set(current.path, current.buffer.subarray(0, current.filled));
          current = undefined;
        },
        warn: () => undefined,
        unsupported: () => undefined,
      },
      where,
      (n) => {
        state.stats.bytesRead += n;
        if (compression === 'none') task.advance(n);
      },
    );
    task.done();
    deliverAll(state, where, wanted, found);
  }
}

function deliverAll(
  state: WalkState,
  where: string,
  wanted: Map<string, ContentRequest[]>,
  found: Map<string, Buffer>,
) {
  for (const [path, requests] of wanted) {
    const content = found.get(path);
    if (content === undefined) {
      state.warnings.push({
        code: 'link-target-missing',
        message: `${where}: ${path} was not found on re-read`,
        location: `${where}: ${path}`,
      });
      continue;
    }
    for (const req of requests) {
      req.deliver(content);
    }
  }
}

function maxSize(requests: ContentRequest[]): number {
  let max = 0;
  for (const req of requests) {
    for (const reader of req.readers) {
      max = Math.max(max, reader.maxFileSize);
    }
  }
  return max;
}
