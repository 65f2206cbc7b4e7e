// Preloaded into a measured process (`node --import`): on exit it appends the process's peak
// resident set size, in KiB, to the file named by BULKHEAD_BENCH_RSS_FILE.
import { appendFileSync } from 'node:fs';
import process from 'node:process';

const file = process.env.BULKHEAD_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
}
