/** `--input s3://…` wiring: the S3 source's options from the plan, and `--explain` for S3 inputs. */
import pLimit from 'p-limit';
import type { S3SourcePlan } from '../query/source-plan';
import type { InputSpec } from '../sources/local/discover';
import { explainS3Input, isS3Url, s3EndpointFrom, s3Input, type S3InputOptions } from '../sources/s3';
import type { RoundContext } from './round';

/** GETs in flight at once over all S3 inputs; objects fetched ahead of the scan. */
const GET_CONCURRENCY = 16;
const FETCH_AHEAD = 32;

export function s3Options(ctx: RoundContext, source: S3SourcePlan, onFailed: (name: string, message: string) => void): S3InputOptions {
  const { connection } = source;
  const endpointUrl = s3EndpointFrom(connection.endpointUrl, ctx.io.env);
  return {
    connection: {
      ...(connection.profile !== undefined ? { profile: connection.profile } : {}),
      ...(connection.region !== undefined ? { region: connection.region } : {}),
      ...(endpointUrl !== undefined ? { endpointUrl } : {}),
    },
    filters: {
      accounts: source.accounts === null ? null : new Set(source.accounts),
      regions: source.regions === undefined || source.regions === 'all' ? null : source.regions,
      window: ctx.plan.window,
    },
    counters: ctx.s3Counters,
    limit: pLimit(GET_CONCURRENCY),
    ahead: FETCH_AHEAD,
    ...(ctx.checkpoint ? { planner: ctx.checkpoint.s3 } : {}),
    signal: ctx.signal,
    onNote: (message) => ctx.diagnostics.note(message),
    onFailed,
  };
}

/** The inputs as the scan takes them: paths as they are, each `s3://` URL as an input that lists its objects. */
export function scanInputs(inputs: readonly string[], options: S3InputOptions): InputSpec[] {
  return inputs.map((input) => (isS3Url(input) ? s3Input(input, options) : input));
}

/** `--explain` with S3 inputs: the listings each needs, found by listing; no object is read. */
export async function explainS3Inputs(ctx: RoundContext, inputs: readonly string[], options: S3InputOptions): Promise<{ failed: boolean }> {
  let failed = false;
  const lines: string[] = [];
  for (const input of inputs) {
    if (!isS3Url(input)) {
      lines.push(`${input}: local input, read whole`);
      continue;
    }
    const explained = await explainS3Input(input, options);
    if (explained instanceof Error) {
      ctx.diagnostics.error(`${input}: ${explained.message}`);
      failed = true;
      continue;
    }
    for (const note of explained.notes) ctx.diagnostics.note(note);
    const objects = explained.listings.reduce((n, l) => n + l.objects, 0);
    const bytes = explained.listings.reduce((n, l) => n + l.bytes, 0);
    lines.push(`${input}: ${explained.listings.length} listing${explained.listings.length === 1 ? '' : 's'}, ${count(objects)} objects, ${count(bytes)} bytes to read`);
    const empty = explained.listings.filter((l) => l.objects === 0).length;
    for (const l of explained.listings) {
      if (l.objects > 0) lines.push(`  ${l.url}${l.range === 'this folder' ? '' : `  days ${l.range}`}  ${count(l.objects)} objects, ${count(l.bytes)} bytes`);
    }
    if (empty > 0) lines.push(`  and ${empty} listing${empty === 1 ? '' : 's'} with nothing to read in the window`);
  }
  ctx.diagnostics.block(lines.join('\n'));
  return { failed };
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}
