// Bundles each entry point into one ESM file. Bundling is what keeps `ctq` cold start small:
// chevrotain alone loads in ~175 ms as hundreds of ES modules and in ~8 ms as one bundle.
// The AWS SDK stays external and is imported lazily, only when the LookupEvents source runs.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });

const entryPoints = {
  ctq: 'src/cli/main.ts',
  'ctq-emulator': 'src/emulator/main.ts',
  'scan-worker': 'src/scan/scan-worker.ts',
  index: 'src/index.ts',
};

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

// The library entry point ships its type declarations (dist/types), so `import … from 'ctq'` is typed.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.types.json'], { stdio: 'inherit' });
