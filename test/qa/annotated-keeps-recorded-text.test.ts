/**
 * `--enrich` and `--rules` add `_ctq` to an event; the event itself must come out as recorded, as it does
 * without them (README, Output: `123456789012345678901234567890` and `1e400` survive). Records that
 * `JSON.stringify` would not write byte for byte (numbers beyond a double, escapes, pretty-printing)
 * used to be written again from their parsed value: `1e400` became `null`, a 30-digit request ID
 * `1.2345678901234568e+29`, and `-0` `0`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCtq } from '../support/run-ctq';
import { scratchDir } from '../support/scratch';

const RECORDED =
  '{"eventVersion":"1.08","eventTime":"2024-05-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject",' +
  '"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user\\/alice","accountId":"111122223333"},' +
  '"requestParameters":{"partNumber":123456789012345678901234567890,"huge":1e400,"zero":-0,"one":1.0,"name":"caf\\u00e9"},"eventID":"n1"}';

function files(): { events: string; rules: string } {
  const dir = scratchDir('ctq-qa-annotated-');
  const events = join(dir, 'events.ndjson');
  const rules = join(dir, 'rules.yml');
  writeFileSync(events, RECORDED + '\n' + JSON.stringify(JSON.parse(RECORDED), null, 2) + '\n');
  writeFileSync(rules, 'id: any-get\ntitle: Any GetObject\nactions: s3:GetObject\n');
  return { events, rules };
}

/** The line without its `_ctq` member, which is spliced in last. */
function withoutAnnotation(line: string): string {
  const at = line.lastIndexOf(',"_ctq":');
  expect(at).toBeGreaterThan(0);
  return line.slice(0, at) + '}';
}

describe('an annotated event keeps its recorded text', () => {
  it.each([['--enrich'], ['--rules']])('with %s', async (flag) => {
    const { events, rules } = files();
    const args = flag === '--rules' ? ['--rules', rules] : ['*:*', flag];
    const plain = await runCtq(['*:*', '--input', events]);
    const annotated = await runCtq([...args, '--input', events]);
    expect(annotated.code).toBe(0);
    const lines = annotated.stdout.trimEnd().split('\n');
    expect(lines.map(withoutAnnotation)).toEqual(plain.stdout.trimEnd().split('\n'));
    expect(lines[0]).toContain('"partNumber":123456789012345678901234567890,"huge":1e400,"zero":-0,"one":1.0');
    for (const line of lines) expect(Object.keys(JSON.parse(line) as object).at(-1)).toBe('_ctq');
  });
});
