// Bundles the CLI into one CommonJS file. Loading ~150 separate ES modules costs a Node process
// more than a small image scan itself does, and V8 loads one CommonJS script faster still than
// one ES module of the same code; the library keeps its per-module ES build in dist/.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/bin/bulkhead.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minifyWhitespace: true,
  minifySyntax: true,
  // A native addon cannot be bundled; it loads from node_modules as usual.
  external: ['better-sqlite3'],
  // The sources locate package.json from their own URL.
  define: { 'import.meta.url': 'bundleUrl' },
  banner: { js: "const bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
