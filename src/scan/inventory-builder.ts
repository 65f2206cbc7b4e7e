import path from 'node:path';
import { resolveOs } from '../analyzers/os/resolve-os.js';
import type { OsFacts } from '../analyzers/types.js';
import type { AttributedPackageSet, WalkResult } from '../image/walker-types.js';
import { purlFor } from '../inventory/purl.js';
import type {
  ImageMetadata,
  Inventory,
  OperatingSystem,
  Package,
  ScanWarning,
  Target,
} from '../inventory/types.js';

const OS_SOURCES = new Set(['dpkg-status', 'dpkg-status.d', 'apk-installed']);

function comparePackages(a: Package, b: Package): number {
  return (
    a.name.localeCompare(b.name) ||
    a.version.localeCompare(b.version) ||
    a.path.localeCompare(b.path)
  );
}

/** `/app/node_modules/x/package.json` → `/app`; `/node_modules/x/package.json` → `/`. */
function projectRoot(file: string): string {
  const at = file.indexOf('/node_modules/');
  return at <= 0 ? '/' : file.slice(0, at);
}

function nodeModulesName(root: string): string {
  return root === '/' ? '/node_modules' : `${root}/node_modules`;
}

function osTargets(
  sets: AttributedPackageSet[],
  os: OperatingSystem | undefined,
  warnings: ScanWarning[],
): Target[] {
  const byTool = new Map<string, AttributedPackageSet[]>();
  for (const set of sets) {
    const tool = set.source === 'apk-installed' ? 'apk' : 'dpkg';
    byTool.set(tool, [...(byTool.get(tool) ?? []), set]);
  }
  const targets: Target[] = [];
  for (const [tool, toolSets] of byTool) {
    const packages = toolSets
      .flatMap((s) => s.packages)
      .map((p) => ({ ...p, purl: purlFor(p, os) }))
      .sort(comparePackages);
    if (!os) {
      warnings.push({
        code: 'os-not-detected',
        message: `${packages.length} ${tool} packages found but no OS release file; they cannot be matched`,
      });
    }
    const first = toolSets[0];
    targets.push({
      name: os ? `${os.family} ${os.version} (${tool})` : `unknown OS (${tool})`,
      kind: 'os-packages',
      ecosystem: first?.ecosystem ?? 'debian',
      path: tool === 'apk' ? '/lib/apk/db/installed' : '/var/lib/dpkg/status',
      packages,
    });
  }
  return targets;
}

/** name@version pairs a lockfile marks dev-only (and never non-dev). */
function devOnly(sets: AttributedPackageSet[]): Set<string> {
  const dev = new Set<string>();
  const prod = new Set<string>();
  for (const pkg of sets.flatMap((s) => s.packages)) {
    (pkg.dev ? dev : prod).add(`${pkg.name}@${pkg.version}`);
  }
  return new Set([...dev].filter((key) => !prod.has(key)));
}

function npmTargets(sets: AttributedPackageSet[], log: (message: string) => void): Target[] {
  const installed = new Map<string, Package[]>();
  const hidden = new Map<string, AttributedPackageSet[]>();
  const lockfiles: AttributedPackageSet[] = [];
  for (const set of sets) {
    if (set.source === 'npm-package-json') {
      const root = projectRoot(set.path);
      installed.set(root, [...(installed.get(root) ?? []), ...set.packages]);
    } else if (set.source === 'npm-hidden-lockfile') {
      const root = projectRoot(set.path);
      hidden.set(root, [...(hidden.get(root) ?? []), set]);
    } else if (set.source === 'npm-lockfile') {
      lockfiles.push(set);
    }
  }

  const lockfilesByRoot = new Map<string, AttributedPackageSet[]>();
  const targets: Target[] = [];
  for (const lockfile of lockfiles) {
    const root = path.posix.dirname(lockfile.path);
    if (installed.has(root)) {
      // What is installed is what runs; the lockfile only tells which of it is dev-only.
      lockfilesByRoot.set(root, [...(lockfilesByRoot.get(root) ?? []), lockfile]);
      log(`${lockfile.path}: packages taken from the installed ${nodeModulesName(root)} instead`);
      continue;
    }
    targets.push({
      name: lockfile.path,
      kind: 'lockfile',
      ecosystem: 'npm',
      path: lockfile.path,
      packages: [...lockfile.packages].sort(comparePackages),
    });
  }

  for (const [root, packages] of installed) {
    const flags = devOnly(hidden.get(root) ?? lockfilesByRoot.get(root) ?? []);
    const flagged = packages.map((p) =>
      flags.has(`${p.name}@${p.version}`) ? { ...p, dev: true } : p,
    );
    const name = nodeModulesName(root);
    targets.push({
      name,
      kind: 'installed-packages',
      ecosystem: 'npm',
      path: name,
      packages: flagged.sort(comparePackages),
    });
  }
  for (const [root, hiddenSets] of hidden) {
    if (installed.has(root)) {
      continue;
    }
    const name = nodeModulesName(root);
    const packages = hiddenSets.flatMap((s) => s.packages).sort(comparePackages);
    targets.push({ name, kind: 'installed-packages', ecosystem: 'npm', path: name, packages });
  }
  return targets.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Turns the walker's per-file facts into the inventory: the OS, one target for the OS
 * packages, and one per npm package tree or lockfile. A lockfile whose directory also holds an
 * installed `node_modules` does not become a target of its own: the installed packages are
 * what the image runs, and the lockfile (or npm's hidden lockfile) only marks which are dev-only.
 *
 * @example
 * const inventory = buildInventory(walk, image.metadata, log);
 * inventory.targets.map((t) => t.name); // ['debian 12.12 (dpkg)', '/app/node_modules']
 */
export function buildInventory(
  walk: WalkResult,
  artifact: ImageMetadata,
  log: (message: string) => void = () => undefined,
): Inventory {
  const warnings = [...walk.warnings];
  const facts: OsFacts[] = walk.outputs.flatMap((o) => (o.os ? [o.os] : []));
  const os = resolveOs(facts);
  const sets = walk.outputs.flatMap((o) => o.packageSets ?? []);

  const targets = [
    ...osTargets(
      sets.filter((s) => OS_SOURCES.has(s.source)),
      os,
      warnings,
    ),
    ...npmTargets(
      sets.filter((s) => s.ecosystem === 'npm'),
      log,
    ),
  ];
  const inventory: Inventory = { artifact, targets, warnings };
  if (os) {
    inventory.os = os;
  }
  return inventory;
}
