// Bundles the CLI into one ES module. Loading ~150 separate modules costs a Node process more
// than a small image scan itself does, so the `bulkhead` bin runs this bundle; the library
// keeps its per-module build in dist/ for importers.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/bin/bulkhead.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // A native addon cannot be bundled; it loads from node_modules as usual.
  external: ['better-sqlite3'],
  // CommonJS dependencies inside an ES module bundle still call require().
  banner: {
    js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);",
  },
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
