import { describe, expect, it } from 'vitest';
import { isLogExportText, timestampPrefixLength, withoutExportTimestamps, withoutTimestamps } from '../../src/sources/local/log-export';

const bytes = (text: string) => Buffer.from(text, 'utf8');

async function collected(pieces: readonly Buffer[]): Promise<string> {
  async function* from(): AsyncGenerator<Buffer> {
    yield* pieces;
  }
  const out: Buffer[] = [];
  for await (const piece of withoutExportTimestamps(from())) out.push(piece);
  return Buffer.concat(out).toString('utf8');
}

describe('CloudWatch Logs export lines', () => {
  it('takes a timestamp in UTC, with or without a fraction, and the one space after it', () => {
    expect(timestampPrefixLength(bytes('2024-03-08T22:09:01.263Z {"a":1}'), 0)).toBe(25);
    expect(timestampPrefixLength(bytes('2024-03-08T22:09:01Z {"a":1}'), 0)).toBe(21);
    expect(timestampPrefixLength(bytes('2024-03-08T22:09:01.123456789Z {}'), 0)).toBe(31);
    expect(timestampPrefixLength(bytes('x\n2024-03-08T22:09:01.263Z {}'), 2)).toBe(25);
  });

  it('takes nothing that is not exactly such a timestamp', () => {
    for (const line of [
      '{"eventTime":"2024-03-08T22:09:01Z"}',
      '2024-03-08 22:09:01.263Z {}', // a space for the T
      '2024-03-08T22:09:01.263+00:00 {}', // an offset, not Z
      '2024-03-08T22:09:01.263Z{}', // no space
      '2024-03-08T22:09:01.Z {}', // a point without digits
      '2024-3-08T22:09:01.263Z {}',
      '2024-03-08T22:09:01.1234567890Z {}', // more fraction digits than a timestamp has
      '2024-03-08T22:09:01.263Z',
    ]) {
      expect(timestampPrefixLength(bytes(line), 0), line).toBe(0);
    }
  });

  it('tells an export from its first line: a timestamp, then a JSON object', () => {
    expect(isLogExportText(bytes('2024-03-08T22:09:01.263Z {"eventVersion":"1.08"}\n'))).toBe(true);
    expect(isLogExportText(bytes('2024-03-08T22:09:01.263Z START RequestId: 42\n'))).toBe(false);
    expect(isLogExportText(bytes('{"eventVersion":"1.08"}\n'))).toBe(false);
    expect(isLogExportText(bytes(''))).toBe(false);
  });

  it('takes each line’s timestamp off, keeps lines without one and every newline', () => {
    const text = '2024-03-08T22:09:01.263Z {"a":1}\r\nnot an event\n\n2024-03-08T22:09:02.000Z {"b":"2024-03-08T22:09:01.263Z x"}';
    expect(withoutTimestamps(bytes(text)).toString()).toBe('{"a":1}\r\nnot an event\n\n{"b":"2024-03-08T22:09:01.263Z x"}');
  });

  it('reads an export in pieces split anywhere as it reads it whole, and other text untouched', async () => {
    const text = ['{"eventName":"First"}', '{"eventName":"Second","x":"é"}', 'junk', '{"eventName":"Last"}'].map((line, i) => `2024-03-08T22:09:0${i}.263Z ${line}\n`).join('') + '2024-03-08T22:09:09Z {"tail":true}';
    const whole = withoutTimestamps(bytes(text)).toString();
    expect(whole).toContain('{"eventName":"Second","x":"é"}\njunk\n');
    const all = bytes(text);
    for (let a = 0; a <= all.length; a += 3) {
      for (const b of [a, a + 1, a + 17, all.length]) {
        if (b > all.length) continue;
        expect(await collected([all.subarray(0, a), all.subarray(a, b), all.subarray(b)]), `${a}/${b}`).toBe(whole);
      }
    }
    const plain = '{"eventTime":"2024-03-08T22:09:01Z"}\n2024-03-08T22:09:01.263Z {"a":1}\n';
    expect(await collected([bytes(plain.slice(0, 5)), bytes(plain.slice(5))])).toBe(plain);
    // A line longer than many pieces is joined once.
    const long = `2024-03-08T22:09:01.263Z {"x":"${'y'.repeat(100_000)}"}\n`;
    const pieces = Array.from({ length: Math.ceil(long.length / 1000) }, (_, i) => bytes(long.slice(i * 1000, (i + 1) * 1000)));
    expect(await collected(pieces)).toBe(long.slice(25));
  });
});
