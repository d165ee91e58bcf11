// Bundles each entry point into one ESM file. Bundling is what keeps `ctq` cold start small:
// chevrotain alone loads in ~175 ms as hundreds of ES modules and in ~8 ms as one bundle.
// The CLI bundles the AWS SDK too, in chunks of their own that only a dynamic import() reaches (S3,
// LookupEvents, Athena): loaded from node_modules the SDK is hundreds of files, ~0.6 s of an S3 run
// spent resolving and compiling them; bundled it is a few chunks. Local runs never load those chunks
// (test/s3/cold-start.test.ts watches the modules a local run loads). The library entry point keeps the SDK
// external, so an application and ctq share one copy of it.
//
// Each entry point is built on its own, so it shares chunks only with what it imports lazily (rules,
// Sigma, --state). Built together, the four entry points shared code in many small chunks, and ctq
// loaded eleven modules at start: each one more for Node's ES module loader to resolve, read,
// compile and link, which costs more than its bytes (a one-event query ran 3% more instructions
// that way). The scan worker, started once per core, is now one file.
import { build } from 'esbuild';
import { bundleOptions, SDK } from './bundle-options.mjs';
import { lazyBuiltins } from './lazy-builtins.mjs';
import { buildSdkScript, sdkOutsideSnapshot } from './snapshot-sdk.mjs';
import { rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

rmSync('dist', { recursive: true, force: true });

const entryPoints = [
  { name: 'ctq', entry: 'src/cli/main.ts', external: [] },
  { name: 'ctq-emulator', entry: 'src/emulator/main.ts', external: SDK },
  { name: 'scan-worker', entry: 'src/scan/scan-worker.ts', external: SDK },
  { name: 'index', entry: 'src/index.ts', external: SDK },
];

for (const { name, entry, external } of entryPoints) await bundle({ [name]: entry }, external);

async function bundle(entryPoints, external) {
  await build({
    ...bundleOptions(external),
    entryPoints,
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    minify: true,
    keepNames: false,
    // CommonJS dependencies (micromatch, commander) call require() for Node built-ins.
    banner: { js: "import { createRequire as __ctqCreateRequire } from 'node:module'; const require = __ctqCreateRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}

// The CLI once more, as one CommonJS script that runs to a V8 startup snapshot (src/cli/snapshot-main.ts,
// which says why). Node takes a snapshot only of a single script, and a blob runs only on the node binary
// that wrote it: dist/ctq.blob.node names that binary, and bin/ctq starts the blob only under it, else
// the ES modules above. The script itself is not shipped as an entry point; it is deleted once written.
await build({
  ...bundleOptions([]),
  format: 'cjs',
  entryPoints: { 'ctq-snapshot': 'src/cli/snapshot-main.ts' },
  outdir: 'dist',
  minify: true,
  keepNames: false,
  // import.meta has no meaning in a script; the snapshot's main function sets this at start.
  define: { 'import.meta.url': 'globalThis.__ctqModuleUrl' },
  // A snapshot has no loader for import(): the SDK's own `import("node:http")` and the like become require().
  supported: { 'dynamic-import': false },
  plugins: [lazyBuiltins(), sdkOutsideSnapshot()],
  logLevel: 'warning',
});
writeSnapshot('dist/ctq-snapshot.js', 'dist/ctq.blob');
await buildSdkScript('dist/ctq-sdk.cjs');

function writeSnapshot(script, blob) {
  // Without NODE_OPTIONS: V8 flags from it would be written into the blob, and bin/ctq starts it without them.
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const built = spawnSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', script], { encoding: 'utf8', env });
  const failed = built.status !== 0 || built.error !== undefined;
  if (failed) throw new Error(`the startup snapshot was not written: ${built.error?.message ?? built.stderr}`);
  // Node warns of each built-in module loaded here that it has "not yet fully verified" in snapshots; such
  // a module may not work when the snapshot runs (worker_threads did not). Add it to LAZY_BUILTINS.
  if (built.stderr.includes('not yet fully verified')) throw new Error(`the startup snapshot loads a built-in module it should load lazily:\n${built.stderr}`);
  rmSync(script);
  writeFileSync(`${blob}.node`, `${process.execPath}\n`);
}

// The library entry point ships its type declarations (dist/types), so `import … from 'ctq'` is typed.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.types.json'], { stdio: 'inherit' });
