/** Local queries must not pay for the S3 or Athena SDK: the CLI reaches them only through a dynamic import. */
import { expect, test } from 'vitest';
import { bundledTexts, STATIC_SDK_IMPORT } from '../support/sdk-bundle';

test('the CLI bundle imports @aws-sdk/client-s3 and @aws-sdk/client-athena only dynamically', async () => {
  const text = (await bundledTexts(['src/cli/main.ts'])).join('\n');
  expect(text).toContain('import("@aws-sdk/client-s3")');
  expect(text).toContain('import("@aws-sdk/client-athena")');
  expect(text).not.toMatch(STATIC_SDK_IMPORT);
});
