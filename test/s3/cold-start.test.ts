/** Local queries must not pay for the S3 SDK: the CLI reaches it only through a dynamic import. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, expect, test } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'ctq-s3-cold-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the CLI bundle imports @aws-sdk/client-s3 only dynamically', async () => {
  const result = await build({
    entryPoints: ['src/cli/main.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    outdir: join(dir, 'bundle'),
    external: ['@aws-sdk/*', '@smithy/*'],
    logLevel: 'silent',
  });
  const text = result.outputFiles.filter((f) => f.path.endsWith('.js')).map((f) => f.text).join('\n');
  expect(text).toContain('import("@aws-sdk/client-s3")');
  expect(text).not.toMatch(/^\s*import\s[^(]*from\s*["']@(aws-sdk|smithy)\//m);
});
