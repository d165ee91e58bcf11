import { describe, expect, it } from 'vitest';
import { readChunks } from '../../src/sources/local/chunks';
import { isLogText, logPrefixLength, withoutLogPrefixes, withoutLogPrefixesRead } from '../../src/sources/local/log-text';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const prefixOf = (line: string) => line.slice(0, logPrefixLength(bytes(line), 0));

async function collected(pieces: readonly Buffer[]): Promise<string> {
  async function* from(): AsyncGenerator<Buffer> {
    yield* pieces;
  }
  const out: Buffer[] = [];
  for await (const piece of withoutLogPrefixesRead(from())) out.push(piece);
  return Buffer.concat(out).toString('utf8');
}

describe('CloudWatch Logs text', () => {
  it('takes the prefix of every format: an export’s, and aws logs tail’s detailed, short and json', () => {
    expect(prefixOf('2024-03-08T22:09:01.263Z {"a":1}')).toBe('2024-03-08T22:09:01.263Z ');
    expect(prefixOf('2024-03-08T22:09:01.263000+00:00 111122223333_CloudTrail_us-east-1 {"a":1}')).toBe('2024-03-08T22:09:01.263000+00:00 111122223333_CloudTrail_us-east-1 ');
    expect(prefixOf('2024-03-08T22:09:01 {"a":1}')).toBe('2024-03-08T22:09:01 ');
    expect(prefixOf('2024-03-08T22:09:01+00:00 111122223333_CloudTrail_us-east-1 ')).toBe('2024-03-08T22:09:01+00:00 111122223333_CloudTrail_us-east-1 ');
    expect(prefixOf('2024-03-08T22:09:01.263-05:00 stream\r')).toBe('2024-03-08T22:09:01.263-05:00 stream');
    expect(prefixOf('2024-03-08T22:09:01.123456789Z [1]')).toBe('2024-03-08T22:09:01.123456789Z ');
    expect(logPrefixLength(bytes('x\n2024-03-08T22:09:01.263Z {}'), 2)).toBe(25);
  });

  it('leaves a message that is no JSON value after the timestamp as it is', () => {
    expect(prefixOf('2024-03-08T22:09:01.263Z START RequestId: 42')).toBe('2024-03-08T22:09:01.263Z ');
    expect(prefixOf('2024-03-08T22:09:01.263Z  {"a":1}')).toBe('2024-03-08T22:09:01.263Z ');
  });

  it('takes nothing from a line that does not start with a timestamp and a space', () => {
    for (const line of [
      '{"eventTime":"2024-03-08T22:09:01Z"}',
      '2024-03-08 22:09:01.263Z {}', // a space for the T
      '2024-03-08T22:09:01.263Z{}', // no space
      '2024-03-08T22:09:01.Z {}', // a point without digits
      '2024-3-08T22:09:01.263Z {}',
      '2024-03-08T22:09:01.1234567890Z {}', // more fraction digits than a timestamp has
      '2024-03-08T22:09:01.263+0000 {}', // an offset without its colon
      '2024-03-08T22:09:01.263Z',
      '  2024-03-08T22:09:01.263Z {}',
    ]) {
      expect(logPrefixLength(bytes(line), 0), line).toBe(0);
    }
  });

  it('tells log text from its first line: a prefix, then a JSON object on it or on the next line', () => {
    expect(isLogText(bytes('2024-03-08T22:09:01.263Z {"eventVersion":"1.08"}\n'))).toBe(true);
    expect(isLogText(bytes('2024-03-08T22:09:01.263000+00:00 s {"eventVersion":"1.08"}\n'))).toBe(true);
    expect(isLogText(bytes('2024-03-08T22:09:01.263000+00:00 s \n{\n    "eventVersion": "1.08"\n}\n'))).toBe(true);
    expect(isLogText(bytes('2024-03-08T22:09:01.263Z START RequestId: 42\n'))).toBe(false);
    expect(isLogText(bytes('2024-03-08T22:09:01.263Z [1, 2]\n'))).toBe(false);
    expect(isLogText(bytes('{"eventVersion":"1.08"}\n'))).toBe(false);
    expect(isLogText(bytes(''))).toBe(false);
  });

  it('takes each line’s prefix off, keeps lines without one and every newline', () => {
    const text =
      '2024-03-08T22:09:01.263Z {"a":1}\r\nnot an event\n\n2024-03-08T22:09:02.000000+00:00 s1 \n{\n    "b": "2024-03-08T22:09:01.263Z x"\n}\n2024-03-08T22:09:03 {"c":3}';
    expect(withoutLogPrefixes(bytes(text)).toString()).toBe('{"a":1}\r\nnot an event\n\n\n{\n    "b": "2024-03-08T22:09:01.263Z x"\n}\n{"c":3}');
  });

  it('reads log text in pieces split anywhere as it reads it whole, and other text untouched', async () => {
    const text =
      ['{"eventName":"First"}', '{"eventName":"Second","x":"é"}', 'junk', '{"eventName":"Last"}'].map((line, i) => `2024-03-08T22:09:0${i}.263000+00:00 stream-${i} ${line}\n`).join('') +
      '2024-03-08T22:09:09Z {"tail":true}';
    const whole = withoutLogPrefixes(bytes(text)).toString();
    expect(whole).toContain('{"eventName":"Second","x":"é"}\nstream-2 junk\n');
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

  it('is told in a feed whose first read is a prefix alone on its line (aws logs tail --format json, live)', async () => {
    const reads = ['2024-03-08T22:09:01.263000+00:00 111122223333_CloudTrail_us-east-1 \n', '{\n    "eventName": "GetObject"\n}\n'];
    const feed = { name: '-', once: true, open: async function* () { for (const read of reads) yield bytes(read); } };
    const text: string[] = [];
    for await (const chunk of readChunks(feed)) if (chunk.format === 'text') text.push(Buffer.from(chunk.bytes).toString());
    expect(text.join('')).toBe('\n{\n    "eventName": "GetObject"\n}\n');
  });
});
