/**
 * ctq as a library, imported by its package name as a user would: the built bundle and its type
 * declarations (this file is type-checked against dist/types by `npm run typecheck`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileExpression, compileQuery, readLocalEvents, renderExpressionError, type JsonObject, type SourceItem } from 'ctq';
import { scratchDir } from '../support/scratch';

describe('the library entry point', () => {
  it('compiles an expression into a predicate', () => {
    const compiled = compileExpression('$.errorCode == "AccessDenied"');
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    expect(compiled.predicate({ errorCode: 'AccessDenied' })).toBe(true);
    expect(compiled.predicate({ errorCode: null })).toBe(false);
  });

  it('renders an expression error with its column', () => {
    const text = '$.errorCode ==';
    const compiled = compileExpression(text);
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(renderExpressionError(text, compiled.error)).toMatch(/column 15/);
  });

  it('reads a local source and evaluates a whole query on its events', async () => {
    const dir = scratchDir('ctq-lib-');
    const file = join(dir, 'events.ndjson');
    const events: JsonObject[] = [
      { eventID: '1', eventSource: 's3.amazonaws.com', eventName: 'GetObject', eventTime: '2026-11-20T00:00:00Z', errorCode: 'AccessDenied' },
      { eventID: '2', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', eventTime: '2026-11-20T00:00:00Z' },
    ];
    writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const query = compileQuery({ actions: ['s3:Get*'], matches: ['$.errorCode != null'], window: { fromMs: null, toMs: null } });
    expect(query.ok).toBe(true);
    if (!query.ok) return;
    const items: SourceItem[] = [];
    for await (const item of readLocalEvents([file])) items.push(item);
    const matched = items.flatMap((item) => (item.kind === 'event' && query.query.test(item.event) ? [item.event.eventID] : []));
    expect(matched).toEqual(['1']);
  });
});
