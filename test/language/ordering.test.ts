/**
 * timestampInstant reads CloudTrail's own form (`2024-05-01T10:15:00Z`) without its regular expression: it must
 * give what the expression gives for the same instant written with an offset, valid or not.
 */
import { describe, expect, it } from 'vitest';
import { timestampInstant } from '../../src/language/ordering';

describe('timestampInstant', () => {
  it("reads CloudTrail's form as it reads the same time with a +00:00 offset", () => {
    const texts = [
      '2024-05-01T10:15:00Z',
      '1970-01-01T00:00:00Z',
      '2024-02-29T23:59:60Z',
      '2023-02-29T10:00:00Z',
      '2100-02-29T10:00:00Z',
      '2000-02-29T10:00:00Z',
      '2024-13-01T10:15:00Z',
      '2024-00-10T10:15:00Z',
      '2024-04-31T10:15:00Z',
      '2024-05-00T10:15:00Z',
      '2024-05-01T24:00:00Z',
      '2024-05-01T10:60:00Z',
      '2024-05-01T10:15:61Z',
      '0000-01-01T00:00:00Z',
    ];
    for (const text of texts) expect(timestampInstant(text), text).toBe(timestampInstant(text.replace(/Z$/, '+00:00')));
    expect(timestampInstant('2024-05-01T10:15:00Z')).toBe(Date.UTC(2024, 4, 1, 10, 15, 0));
    expect(timestampInstant('2023-02-29T10:00:00Z')).toBeNull();
  });

  it('leaves every other spelling to the expression', () => {
    expect(timestampInstant('2024-05-01t10:15:00z')).toBe(Date.UTC(2024, 4, 1, 10, 15, 0));
    expect(timestampInstant('2024-05-01T10:15:0xZ')).toBeNull();
    expect(timestampInstant('2024-05-01T10:15:0٣Z')).toBeNull();
    expect(timestampInstant('2024-05-01T10:15:00.5Z')).toBe(Date.UTC(2024, 4, 1, 10, 15, 0) + 500);
    expect(timestampInstant('+24-05-01T10:15:00Z')).toBeNull();
  });
});
