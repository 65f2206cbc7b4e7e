import { npmLockfileAnalyzer } from './languages/npm-lockfile.js';
import { npmPackageJsonAnalyzer } from './languages/npm-package-json.js';
import { osReleaseAnalyzer } from './os/os-release.js';
import { apkAnalyzer } from './packages/apk.js';
import { dpkgAnalyzer } from './packages/dpkg.js';
import type { Analyzer, AnalyzerGroup } from './types.js';

/**
 * Every analyzer, listed by hand so that adding one is a visible change; `registry.test.ts`
 * fails when an analyzer file is missing here or an id is taken twice. Order is the order the
 * walker asks them, and does not change their output.
 */
export const ANALYZERS: readonly Analyzer[] = [
  osReleaseAnalyzer,
  dpkgAnalyzer,
  apkAnalyzer,
  npmPackageJsonAnalyzer,
  npmLockfileAnalyzer,
];

/**
 * The analyzers of the given groups, all of them when none is given (what `--pkg-types os`
 * or `library` selects). OS release files are always read: matching needs the OS.
 *
 * @example
 * analyzersFor(['language-packages']).map((a) => a.id);
 * // ['os-release', 'npm-package-json', 'npm-lockfile']
 */
export function analyzersFor(groups?: readonly AnalyzerGroup[]): Analyzer[] {
  if (groups === undefined) {
    return [...ANALYZERS];
  }
  const wanted = new Set<AnalyzerGroup>([...groups, 'os']);
  return ANALYZERS.filter((analyzer) => wanted.has(analyzer.group));
}

/**
 * The analyzers that want a file, for the walker's per-file loop. Each `matches` is a few string
 * comparisons, so asking all of them for every file stays cheap.
 *
 * @example
 * analyzersMatching(ANALYZERS, '/var/lib/dpkg/status').map((a) => a.id); // ['dpkg']
 */
export function analyzersMatching(analyzers: readonly Analyzer[], path: string): Analyzer[] {
  const matching: Analyzer[] = [];
  for (const analyzer of analyzers) {
    if (analyzer.matches(path)) matching.push(analyzer);
  }
  return matching;
}
