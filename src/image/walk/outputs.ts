import type { AnalyzerOutput } from '../../analyzers/types.js';
import type { AnalyzedPackage } from '../../analyzers/types.js';
import type { AttributedPackageSet, WalkOutput } from '../walker-types.js';
import type { LinkedOutput } from './symlinks.js';
import type { PathEvent, PathHistory, WalkState } from './state.js';

/**
 * The final outputs: for each tracked path present in the final view, the outputs of the layer
 * that wrote its final version, plus outputs read through symlinks. Sorted by path, then
 * analyzer id.
 *
 * Layer attribution: a package of the final version is attributed to the earliest layer L
 * such that every version of the file from L up to the final one lists it and nothing removed
 * the file in between. A `dpkg` status rewritten by each `apt-get install` thus still names the
 * layer that installed each package.
 *
 * @example
 * const outputs = finalOutputs(state, linked);
 */
export function finalOutputs(state: WalkState, linked: readonly LinkedOutput[]): WalkOutput[] {
  const outputs: WalkOutput[] = [];
  const keys = new WeakMap<PathEvent, Map<string, Set<string>>>();

  for (const history of state.histories.values()) {
    const node = state.tree.lookup(history.parts);
    if (node === undefined || (node.type !== 'file' && node.type !== 'hardlink')) {
      continue;
    }
    const index = history.events.length - 1;
    const event = history.events[index];
    if (event === undefined || event.deleted) {
      continue;
    }
    for (const [analyzerId, output] of event.outputs) {
      if (output !== undefined) {
        outputs.push(
          build(state, analyzerId, history.path, event.layer, output, (key) =>
            earliest(history, index, analyzerId, key, keys),
          ),
        );
      }
    }
  }
  for (const item of linked) {
    const history = item.history;
    const attribute =
      history === undefined
        ? () => item.layer
        : (key: string) => earliest(history, history.events.length - 1, item.analyzerId, key, keys);
    outputs.push(build(state, item.analyzerId, item.path, item.layer, item.output, attribute));
  }
  return outputs.sort((a, b) =>
    a.path === b.path ? compare(a.analyzerId, b.analyzerId) : compare(a.path, b.path),
  );
}

function build(
  state: WalkState,
  analyzerId: string,
  path: string,
  layer: number,
  output: AnalyzerOutput,
  attribute: (key: string) => number,
): WalkOutput {
  const result: WalkOutput = { analyzerId, path };
  const info = state.layers[layer];
  if (info !== undefined) result.layer = info;
  if (output.os !== undefined) result.os = output.os;
  if (output.packageSets !== undefined) {
    result.packageSets = output.packageSets.map((set): AttributedPackageSet => ({
      ...set,
      packages: set.packages.map((pkg) => {
        const at = state.layers[attribute(packageKey(pkg))];
        return at === undefined ? { ...pkg } : { ...pkg, layer: at };
      }),
    }));
  }
  return result;
}

/** Walks back over the versions of the file while each still lists the package. */
function earliest(
  history: PathHistory,
  finalIndex: number,
  analyzerId: string,
  key: string,
  cache: WeakMap<PathEvent, Map<string, Set<string>>>,
): number {
  let index = finalIndex;
  while (index > 0) {
    const previous = history.events[index - 1] as PathEvent;
    if (previous.deleted || !keysOf(previous, analyzerId, cache).has(key)) {
      break;
    }
    index -= 1;
  }
  return (history.events[index] as PathEvent).layer;
}

function keysOf(
  event: PathEvent,
  analyzerId: string,
  cache: WeakMap<PathEvent, Map<string, Set<string>>>,
): Set<string> {
  let byAnalyzer = cache.get(event);
  if (byAnalyzer === undefined) {
    byAnalyzer = new Map();
    cache.set(event, byAnalyzer);
  }
  let keys = byAnalyzer.get(analyzerId);
  if (keys === undefined) {
    keys = new Set();
    for (const set of event.outputs.get(analyzerId)?.packageSets ?? []) {
      for (const pkg of set.packages) keys.add(packageKey(pkg));
    }
    byAnalyzer.set(analyzerId, keys);
  }
  return keys;
}

/** Same name, version and architecture make the same package. */
function packageKey(pkg: AnalyzedPackage): string {
  return `${pkg.name}\u0000${pkg.version}\u0000${pkg.arch ?? ''}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
