/**
 * One-pass --enrich splices `_ctq` into its spooled lines as bytes (enrich-spool.ts): each line must come
 * out as `splicedLine`, or `annotatedLine` for an event with its own `_ctq`, would write it as text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { graphOf, NO_IDENTITY_ENRICHMENT, sessionRefId, sessionRefOf, type SessionRef } from '../../src/identity';
import type { JsonObject } from '../../src/language/json';
import { annotatedLine, splicedLine } from '../../src/query/checked-query';
import { EnrichSpool } from '../../src/scan/enrich-spool';
import { scratchDir } from '../support/scratch';

const events = readFileSync('fixtures/identity/assume-role-chain.ndjson', 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line) as JsonObject);
const graph = graphOf(events);

/** Lines as a scan may write them: recorded text with spaces before the brace, an empty object, non-ASCII, a `_ctq` of its own, no identity. */
function linesOf(event: JsonObject): string[] {
  const text = JSON.stringify(event);
  return [
    text,
    `${text.slice(0, -1)} \t}`,
    JSON.stringify({ ...event, note: 'é ✓ 𝄞 "}"' }),
    JSON.stringify({ ...event, _ctq: { mine: true } }),
    JSON.stringify({ ...event, nested: { _ctq: 1 } }),
    JSON.stringify({ ...event, note: 'my_ctq', other: '_ctq"' }),
  ];
}

describe('the --enrich spool', () => {
  it('splices each line as the text functions would', async () => {
    const spool = await EnrichSpool.create(join(scratchDir('ctq-spool-'), 'matches'));
    const want: string[] = [];
    try {
      for (const event of events) {
        const ref = sessionRefOf(event);
        const refs = new Map<string, SessionRef>(ref === null ? [] : [[sessionRefId(ref), ref]]);
        const lines = [...linesOf(event), '{}', '{ }'];
        const ids = lines.map((_, i) => (ref === null || i >= lines.length - 2 ? null : sessionRefId(ref)));
        await spool.add(lines.map((line) => line + '\n').join(''), ids, refs);
        lines.forEach((line, i) => {
          const ctq = JSON.stringify(ids[i] === null ? NO_IDENTITY_ENRICHMENT : graph.enrichmentOfRef(ref!));
          want.push(line.includes('"_ctq"') ? annotatedLine(JSON.parse(line) as JsonObject, line, JSON.parse(ctq) as JsonObject) : splicedLine(line, ctq));
        });
      }
      let got = '';
      for await (const bytes of spool.enriched(graph, () => {})) got += Buffer.from(bytes).toString('utf8');
      expect(got).toBe(want.map((line) => line + '\n').join(''));
      expect(want.length).toBeGreaterThan(20);
    } finally {
      await spool.close();
    }
  });
});
