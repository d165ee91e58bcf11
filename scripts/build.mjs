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
import { rmSync } from 'node:fs';

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

// The library entry point ships its type declarations (dist/types), so `import … from 'ctq'` is typed.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.types.json'], { stdio: 'inherit' });
