// An esbuild plugin for the startup snapshot's bundle (scripts/build.mjs): the built-in modules that Node
// does not support in a snapshot are required when first used, at run time, not when the bundle loads at
// build time. Loaded while the snapshot was written, worker_threads starts workers that die at once
// ("undefined is not an integer typed array" in the worker's process.cwd()), and node warns that
// child_process, vm and module are "not yet fully verified" there.
import { createRequire } from 'node:module';

/** The built-in modules loaded lazily: the ones Node 20 warns about when a snapshot script loads them. */
export const LAZY_BUILTINS = ['worker_threads', 'child_process', 'vm', 'module'];

const NAMESPACE = 'ctq-lazy-builtin';

export function lazyBuiltins() {
  const require = createRequire(import.meta.url);
  return {
    name: 'ctq-lazy-builtins',
    setup(build) {
      const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
      build.onResolve({ filter }, (args) => (args.namespace === NAMESPACE ? undefined : { path: args.path.replace(/^node:/, ''), namespace: NAMESPACE }));
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        // Every export as a getter: the bundle reads `module.Worker` where it is used, so nothing is
        // required until then.
        const keys = Object.keys(require(`node:${args.path}`));
        const contents = [
          `let loaded;`,
          `const load = () => (loaded ??= require(${JSON.stringify(`node:${args.path}`)}));`,
          `for (const key of ${JSON.stringify(keys)}) Object.defineProperty(exports, key, { enumerable: true, get: () => load()[key] });`,
        ].join('\n');
        return { contents, loader: 'js' };
      });
    },
  };
}
