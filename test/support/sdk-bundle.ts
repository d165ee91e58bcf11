/**
 * Cold-start checks: bundle entry points as the build does (the AWS SDK external) and read what they
 * import. Local queries must never load an SDK, so a client may only be reached through `import()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions, SDK } from '../../scripts/bundle-options.mjs';

/** The bundled text of each entry point, in order. */
export async function bundledTexts(entryPoints: readonly string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ctq-bundle-'));
  try {
    const result = await build({
      ...bundleOptions(SDK),
      entryPoints: [...entryPoints],
      write: false,
      outdir: join(dir, 'bundle'),
      logLevel: 'silent',
    });
    return result.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => f.text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A static `import … from '@aws-sdk/…'` (or `@smithy/…`): what would load an SDK at start-up. */
export const STATIC_SDK_IMPORT = /^\s*import\s[^(]*from\s*["']@(aws-sdk|smithy)\//m;
