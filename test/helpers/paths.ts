import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the test images are built and kept between runs. */
export const TEST_CACHE = process.env.BULKHEAD_TEST_CACHE ?? '/var/cache/bulkhead-test';

/** The offline OSV mirror that sits beside the checkout. */
export const VULNDB_MIRROR =
  process.env.BULKHEAD_VULNDB ?? path.resolve(REPO_ROOT, '..', 'shared', 'vulndb');

/** The built CLI. */
export const CLI = path.join(REPO_ROOT, 'bin', 'bulkhead.js');
