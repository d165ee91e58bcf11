import { describe, expect, it } from 'vitest';
import { MatchRecord, Matches } from '../../src/output/match-record';

describe('Matches', () => {
  it('hands a scan\'s text to the NDJSON sink as it came: nothing split, nothing parsed', () => {
    // Not JSON: reading the text must not parse it (only a stage that reads `event` does).
    const text = '{"eventID":"a"}\nnot json\n';
    const matches = Matches.ofText(text, null);
    expect(matches.text).toBe(text);
    expect(matches.records.map((record) => record.text)).toEqual(['{"eventID":"a"}', 'not json']);
    expect(() => matches.records[1]!.event).toThrow(SyntaxError);
  });

  it('parses a record\'s event once, on first use', () => {
    const [record] = Matches.ofText('{"eventID":"a","n":1}\n', null).records;
    expect(record!.event).toEqual({ eventID: 'a', n: 1 });
    expect(record!.event).toBe(record!.event);
  });

  it('joins records a stage made into NDJSON, keeping the graph of the batch they came from', () => {
    const from = Matches.ofText('{"eventID":"a"}\n', null);
    const made = from.with([MatchRecord.of({ alert: true }), ...from.records]);
    expect(made.text).toBe('{"alert":true}\n{"eventID":"a"}\n');
    expect(made.graph).toBe(from.graph);
  });
});

describe('MatchRecord.lastRead', () => {
  it('gives the event a stage before kept, else parses it without keeping it', () => {
    const [kept, fresh] = Matches.ofText('{"eventID":"a"}\n{"eventID":"b"}\n', null).records;
    const event = kept!.event;
    expect(kept!.lastRead()).toBe(event);
    expect(fresh!.lastRead()).toEqual({ eventID: 'b' });
    expect(fresh!.lastRead()).not.toBe(fresh!.lastRead());
  });
});
