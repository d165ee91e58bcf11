/**
 * The pre-filters a plain query puts before JSON.parse besides its literal (checked-query.ts): the selection's
 * gate, which reads a record's eventSource and eventName raw, and the rule for when it steps aside.
 */
import { describe, expect, it } from 'vitest';
import type { RecordPrefilter } from '../../src/language/runtime';
import { steppingAside } from '../../src/query/record-gates';
import { compileQuery } from '../../src/query/query';

function gateOf(actions: string[], matches: string[] = []): RecordPrefilter | null {
  const result = compileQuery({ actions, matches, window: { fromMs: null, toMs: null } });
  if (!result.ok) throw new Error(result.message);
  return result.query.gate;
}

/** Each record's answer from the gate, asked in order as a scan asks, and from the query's own test. */
function answers(gate: RecordPrefilter, records: readonly object[]): boolean[] {
  const texts = records.map((record) => JSON.stringify(record));
  const chunk = Buffer.from(texts.join('\n'));
  const ask = gate(chunk);
  let at = 0;
  return texts.map((text) => {
    const end = at + Buffer.byteLength(text);
    const pass = ask(at, end);
    at = end + 1;
    return pass;
  });
}

describe('the selection gate', () => {
  it('lets through the APIs the selection takes and rules out the others, unparsed', () => {
    const gate = gateOf(['iam:Create*', 's3:GetObject']);
    expect(gate).not.toBeNull();
    const records = [
      { eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' },
      { eventSource: 'iam.amazonaws.com', eventName: 'DeleteUser' },
      { eventSource: 's3.amazonaws.com', eventName: 'GetObject' },
      { eventSource: 's3.amazonaws.com', eventName: 'GetObjectAcl' },
      // Unsure, so let through: no eventName, or a backslash (a name could be spelled with escapes).
      { eventSource: 'iam.amazonaws.com' },
      { eventSource: 'iam.amazonaws.com', eventName: 'Delete\\User' },
    ];
    expect(answers(gate!, records)).toEqual([true, false, true, false, true, true]);
  });

  it('is not made for a selection of every API', () => {
    expect(gateOf(['*:*'])).toBeNull();
    expect(gateOf(['s3:*', '*:*'])).toBeNull();
  });
});

describe('steppingAside', () => {
  /** A gate that passes every `every`-th record it is asked about, counting the asks. */
  function counting(every: number) {
    const calls = { count: 0 };
    const gate: RecordPrefilter = () => () => ++calls.count % every === 0;
    return { gate, calls };
  }

  function ask(gate: RecordPrefilter, records: number): void {
    const chunk = Buffer.alloc(0);
    for (let i = 0; i < records; i += 1000) {
      const test = gate(chunk);
      for (let k = i; k < Math.min(records, i + 1000); k++) test(k, k + 1);
    }
  }

  it('stops asking a gate that let most of its sample through', () => {
    const { gate, calls } = counting(1);
    ask(steppingAside(gate), 20_000);
    expect(calls.count).toBe(4000);
  });

  it('keeps asking a gate that rules most records out', () => {
    const { gate, calls } = counting(10);
    ask(steppingAside(gate), 20_000);
    expect(calls.count).toBe(20_000);
  });
});
