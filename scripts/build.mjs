// Bundles each entry point into one ESM file. Bundling is what keeps `ctq` cold start small:
// chevrotain alone loads in ~175 ms as hundreds of ES modules and in ~8 ms as one bundle.
// The AWS SDK stays external and is imported lazily, only when the LookupEvents source runs.
//
// Each entry point is built on its own, so it shares chunks only with what it imports lazily (rules,
// Sigma, --state). Built together, the four entry points shared code in many small chunks, and ctq
// loaded eleven modules at start: each one more for Node's ES module loader to resolve, read,
// compile and link, which costs more than its bytes (a one-event query ran 3% more instructions
// that way). The scan worker, started once per core, is now one file.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });

const entryPoints = {
  ctq: 'src/cli/main.ts',
  'ctq-emulator': 'src/emulator/main.ts',
  'scan-worker': 'src/scan/scan-worker.ts',
  index: 'src/index.ts',
};

for (const [name, entry] of Object.entries(entryPoints)) await bundle({ [name]: entry });

async function bundle(entryPoints) {
  await build({
    entryPoints,
    outdir: 'dist',
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    minify: true,
    keepNames: false,
    external: ['@aws-sdk/*', '@smithy/*'],
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
