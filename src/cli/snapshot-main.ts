/**
 * The `ctq` executable as a V8 startup snapshot (scripts/build.mjs writes dist/ctq.blob from this file,
 * bundled as one CommonJS script; bin/ctq starts `node --snapshot-blob dist/ctq.blob -- ARGS`).
 *
 * Why: a one-event query spent about half its time before reading a byte — compiling the bundle's ES
 * modules and constructing Chevrotain's lexer and parser (its grammar analysis). A snapshot taken after
 * both is deserialised instead. Only code with no run-time state may run here at build time: this file
 * loads the modules (none of which reads the environment, the clock or the terminal at load; the
 * snapshot test checks that a run sees its own) and parses sample expressions, nothing else. Nothing
 * may draw randomness at load either: `crypto.randomUUID()` called here would hand every run the same
 * values (its cache of random bytes would be in the snapshot; `Math.random` and `randomBytes` are drawn
 * afresh).
 */
import { createRequire } from 'node:module';
import { join, dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startupSnapshot } from 'node:v8';
import { parseExpression } from '../language';
import { startCli } from './start';

// Every grammar rule and token once, so the parser's lookahead is built and its code compiled.
for (const sample of ['$.a.b[0] == "x" and not ($.c != 1 or $.d regex "^y")', 'session("s") or chainOf("ASIA", 2) or $.e in ["a", "b"]']) {
  const parsed = parseExpression(sample);
  if (!parsed.ok) throw new Error(`the snapshot's sample expression does not parse: ${parsed.error.message}`);
}

startupSnapshot.setDeserializeMainFunction(() => {
  const dist = snapshotDirectory(process.execArgv);
  // The bundle's `import.meta.url` (esbuild's define in scripts/build.mjs): where ctq's own modules are,
  // so its dependencies' data files resolve from the install, not from where the snapshot was built.
  (globalThis as { __ctqModuleUrl?: string }).__ctqModuleUrl = pathToFileURL(join(dist, 'ctq.js')).href;
  // The AWS SDK is not in the snapshot (scripts/snapshot-sdk.mjs): its clients come from dist/ctq-sdk.cjs,
  // required when a run first imports one.
  (globalThis as { __ctqLoadSdk?: (name: string) => unknown }).__ctqLoadSdk = (name) => {
    const clients = createRequire(join(dist, 'ctq.js'))('./ctq-sdk.cjs') as Record<string, () => unknown>;
    const client = clients[name];
    if (client === undefined) throw new Error(`ctq: ${name} is not among the SDK clients built into dist/ctq-sdk.cjs`);
    return client();
  };
  void startCli(process.argv.slice(1), pathToFileURL(join(dist, 'scan-worker.js')));
});

/** dist/, from the blob's path on node's command line (resolved now, before anything changes directory). */
function snapshotDirectory(execArgv: readonly string[]): string {
  const at = execArgv.indexOf('--snapshot-blob');
  const blob = at >= 0 ? execArgv[at + 1] : execArgv.find((a) => a.startsWith('--snapshot-blob='))?.slice('--snapshot-blob='.length);
  if (blob === undefined) throw new Error('ctq: started from a snapshot without --snapshot-blob on the command line');
  return dirname(resolve(blob));
}
