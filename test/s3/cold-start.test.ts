/** Local queries must not pay for the S3 or Athena SDK: the CLI reaches them only through a dynamic import. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO, runCtq, type CtqResult } from '../support/run-ctq';
import { bundledTexts, STATIC_SDK_IMPORT } from '../support/sdk-bundle';
import { putWithFolders, startS3Server, S3RVER_ENV, type S3Server } from './s3-server';

test('the CLI bundle imports @aws-sdk/client-s3 and @aws-sdk/client-athena only dynamically', async () => {
  const text = (await bundledTexts(['src/cli/main.ts'])).join('\n');
  expect(text).toContain('import("@aws-sdk/client-s3")');
  expect(text).toContain('import("@aws-sdk/client-athena")');
  expect(text).not.toMatch(STATIC_SDK_IMPORT);
});

describe('the built ctq', () => {
  let server: S3Server;
  let dir: string;
  beforeAll(async () => {
    server = await startS3Server();
    dir = mkdtempSync(join(tmpdir(), 'ctq-loaded-'));
    await server.client.send(new CreateBucketCommand({ Bucket: 'loaded' }));
    await putWithFolders(server, 'loaded', 'events.ndjson', readFileSync(join(REPO, 'fixtures/events.ndjson')));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The files of dist/ a run of the built ctq loaded, and its result. */
  async function loadedBy(name: string, args: readonly string[]): Promise<{ result: CtqResult; files: string[] }> {
    const record = join(dir, name);
    writeFileSync(record, '');
    // The ES module build (bin/ctq.js): the startup snapshot loads no files of dist/ to watch.
    const result = await runCtq(args, {
      modules: true,
      env: { ...S3RVER_ENV, CTQ_LOADED_MODULES: record, NODE_OPTIONS: `--import ${pathToFileURL(join(REPO, 'test/support/record-loaded-modules.mjs')).href}` },
    });
    const urls = readFileSync(record, 'utf8').split('\n').filter((u) => u.startsWith('file:'));
    return { result, files: [...new Set(urls.map((u) => fileURLToPath(u)).filter((p) => p.startsWith(join(REPO, 'dist'))))] };
  }

  // The SDK is bundled into dist/ (scripts/build.mjs); its chunks carry the user agent it sends.
  const isSdk = (file: string) => readFileSync(file, 'utf8').includes('aws-sdk-js');

  test('loads no AWS SDK chunk for a local input, and loads one from the bundle for an s3:// input', async () => {
    const local = await loadedBy('local', ['*:*', '--input', 'fixtures/events.ndjson']);
    expect(local.result.code).toBe(0);
    expect(local.files).toContain(join(REPO, 'dist/ctq.js'));
    expect(local.files.filter(isSdk)).toEqual([]);

    const s3 = await loadedBy('s3', ['*:*', '--input', 's3://loaded/', '--endpoint-url', server.endpoint]);
    expect(s3.result.code).toBe(0);
    expect(s3.result.stdout).toBe(local.result.stdout);
    expect(s3.files.filter(isSdk).length).toBeGreaterThan(0);
  });
});
