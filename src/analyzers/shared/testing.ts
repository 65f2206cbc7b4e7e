import type { ScanWarning } from '../../inventory/types.js';
import { silentLogger } from '../../core/logger.js';
import type { AnalyzerContext, AnalyzerFile } from '../types.js';

/**
 * Test support shared by the analyzer tests: a context that records warnings and a file built
 * from a string or buffer.
 *
 * @example
 * const { ctx, warnings } = recordingContext();
 * analyzer.analyze(textFile('/etc/os-release', 'ID=debian\n'), ctx);
 */
export function recordingContext(): { ctx: AnalyzerContext; warnings: ScanWarning[] } {
  const warnings: ScanWarning[] = [];
  return { ctx: { log: silentLogger, warn: (w) => warnings.push(w) }, warnings };
}

/**
 * An analyzer input file from text or bytes.
 *
 * @example
 * textFile('/etc/alpine-release', '3.20.3\n');
 */
export function textFile(path: string, content: string | Buffer): AnalyzerFile {
  return { path, content: typeof content === 'string' ? Buffer.from(content) : content };
}
