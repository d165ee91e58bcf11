/**
 * What a scan worker loads: every worker thread loads and compiles dist/scan-worker.js again, so it
 * must hold only what a worker runs — the reader, the compiled query, the identity graph — not the
 * parser (Chevrotain builds its grammar when loaded: the calling thread sends checked ASTs instead),
 * the CLI, rule files, Sigma or the output sinks. Checked on what esbuild bundles from the worker's
 * entry point, with the build's own options (scripts/bundle-options.mjs).
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bundleOptions, SDK } from '../../scripts/bundle-options.mjs';

async function bundledInputs(): Promise<string[]> {
  const result = await build({
    ...bundleOptions(SDK),
    entryPoints: ['src/scan/scan-worker.ts'],
    write: false,
    outdir: 'dist',
    metafile: true,
    logLevel: 'silent',
  });
  // node_modules may be reached through a link: name packages from their last node_modules/ on.
  return Object.keys(result.metafile.inputs).map((path) => path.replace(/^.*node_modules\//, 'node_modules/'));
}

describe('the scan worker bundle', () => {
  it('holds what a worker runs (the check below is not vacuous)', async () => {
    const inputs = await bundledInputs();
    for (const needed of ['src/language/compile.ts', 'src/query/checked-query.ts', 'src/sources/local/records.ts', 'src/identity/graph-builder.ts']) {
      expect(inputs).toContain(needed);
    }
  });

  it('leaves out the parser, the CLI, rule files, Sigma and the output sinks', async () => {
    const inputs = await bundledInputs();
    const unwanted = [
      // micromatch stays: a worker selects events by IAM action globs, which is micromatch's job (design card).
      /^node_modules\/(chevrotain|@chevrotain|lodash-es|commander|yaml)\//,
      /^src\/language\/(parse|parser|lexer|cst-to-ast|syntax-errors|nesting|check|compile-expression)\.ts$/,
      /^src\/(cli|sigma|detect|state|athena-sql)\//,
      /^src\/rules\/(load|rule-file|check|compile-rule)\.ts$/,
      // A match record (what a scan hands on), the line splitter it uses, the check that lets `_ctq` be
      // spliced into a record's text, and --summary's pieces (folded where the matches are found) are all
      // of output/ a worker needs: no sink, table or picture.
      /^src\/output\/(?!((match-record|ndjson-lines|summary|summary-sensitive|access-denied|identity-text)\.ts|data\/sensitive-read-only\.json)$)/,
      /^src\/query\/query\.ts$/,
    ];
    expect(inputs.filter((path) => unwanted.some((pattern) => pattern.test(path)))).toEqual([]);
  });
});
