// How every entry point is resolved and bundled: shared by scripts/build.mjs and the tests that check
// what a bundle holds (test/scan/worker-bundle.test.ts, test/support/sdk-bundle.ts), so a check reads
// the same module graph the build writes.

/** The AWS SDK, bundled only into the CLI (in chunks of its own); external everywhere else. */
export const SDK = ['@aws-sdk/*', '@smithy/*'];

/** Resolution and output options (not where the output goes, nor minification or source maps). */
export function bundleOptions(external) {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    // The SDK's packages point `module` at their ES module builds, which esbuild can split and shake;
    // `main` is their CommonJS build.
    mainFields: ['module', 'main'],
  };
}
