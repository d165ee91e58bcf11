// The AWS SDK stays out of ctq's startup snapshot (scripts/build.mjs). In it, the SDK's code was 1.6 MB of the
// 8.5 MB blob, which node reads and V8 deserialises on every start, local runs included: ~1,400 more page
// faults, ~30 ms of a one-event query on this machine (minor faults cost ~15 µs each in its VM). The three
// clients ctq imports dynamically are bundled instead into dist/ctq-sdk.cjs, one CommonJS script required at
// run time by the runs that need it (as the ES module build loads its SDK chunks), each client initialised
// only when first asked for.
import { build } from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';

/** The SDK clients ctq reaches with `import()` (src/sources/*): nothing else of the SDK is imported. */
export const SDK_CLIENTS = ['@aws-sdk/client-cloudtrail', '@aws-sdk/client-s3', '@aws-sdk/client-athena'];

const NAMESPACE = 'ctq-sdk-outside';

/** For the snapshot's bundle: each client is whatever `globalThis.__ctqLoadSdk(name)` returns at run time (snapshot-main.ts). */
export function sdkOutsideSnapshot() {
  const filter = new RegExp(`^(${SDK_CLIENTS.map((name) => name.replace(/[/-]/g, '\\$&')).join('|')})$`);
  return {
    name: 'ctq-sdk-outside-snapshot',
    setup(build) {
      build.onResolve({ filter }, (args) => ({ path: args.path, namespace: NAMESPACE }));
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        contents: `module.exports = globalThis.__ctqLoadSdk(${JSON.stringify(args.path)});`,
        loader: 'js',
      }));
    },
  };
}

/** dist/ctq-sdk.cjs: `module.exports[name]()` requires (and so initialises) one client. */
export async function buildSdkScript(outfile) {
  const contents = `module.exports = {\n${SDK_CLIENTS.map((name) => `  ${JSON.stringify(name)}: () => require(${JSON.stringify(name)}),`).join('\n')}\n};\n`;
  await build({
    ...bundleOptions([]),
    format: 'cjs',
    stdin: { contents, resolveDir: process.cwd(), sourcefile: 'ctq-sdk.cjs', loader: 'js' },
    outfile,
    minify: true,
    // Required by a process started from the snapshot, which has no loader for import() either.
    supported: { 'dynamic-import': false },
    logLevel: 'warning',
  });
}
