import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { AppError } from '../../core/errors/index.js';
import { loadFalcoRules, type FalcoLoadResult } from '../../policy/falco/engine.js';
import type { RuleSource } from '../../policy/falco/loader.js';

const DEFAULT_RULES = join('src', 'runtime', 'rules', 'bulkhead_rules.yaml');

/**
 * Where bulkhead's own rules file lies: under the package root, found by walking up from this
 * module (it runs from `src/`, `dist/` or the `dist/bin` bundle). package.json `files` ships
 * the rules directory with the package.
 *
 * @example
 * defaultRulesPath(); // '/opt/bulkhead/src/runtime/rules/bulkhead_rules.yaml'
 */
export function defaultRulesPath(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (let depth = 0; depth < 6; depth++) {
    if (existsSync(join(dir, 'package.json'))) {
      return join(dir, DEFAULT_RULES);
    }
    dir = dirname(dir);
  }
  return join(process.cwd(), DEFAULT_RULES);
}

export interface LoadedRules {
  result: FalcoLoadResult;
  sources: RuleSource[];
}

/**
 * Reads rules files in order and loads them together (later files change earlier ones).
 *
 * @example
 * const { result } = await loadRulesFiles([defaultRulesPath(), 'local.yaml']);
 * if (!result.ok) printIssues(result.errors);
 */
export async function loadRulesFiles(files: readonly string[]): Promise<LoadedRules> {
  const sources: RuleSource[] = [];
  for (const file of files) {
    try {
      sources.push({ file, text: await readFile(file, 'utf8') });
    } catch (err) {
      throw new AppError('input-not-found', `cannot read rules file ${file}`, {
        cause: err,
        hint: 'check the path given to --rules',
      });
    }
  }
  return { result: loadFalcoRules(sources), sources };
}
