/**
 * Every `kind` marker the summary table shows is explained in its legend. A call on the sensitive list in a
 * record without `readOnly` is `?!`: `readOnly` is optional, and came with eventVersion 1.01 (CloudTrail
 * record contents: "Since: 1.01, Optional: True"). `?!` had no legend entry, so the table printed a marker
 * that nothing explained, and no legend at all when it was the only one.
 */
import { describe, expect, it } from 'vitest';
import { createSummary } from '../../src/output/summary';
import { formatSummaryTable, kindOf, KIND_LEGEND } from '../../src/output/summary-table';

describe('summary table kind legend', () => {
  it('explains every marker kindOf can give', () => {
    for (const readOnly of [true, false, undefined]) {
      for (const sensitive of [true, false]) {
        const kind = kindOf({ ...(readOnly === undefined ? {} : { readOnly }), sensitive });
        expect(KIND_LEGEND[kind], kind).toBeDefined();
      }
    }
  });

  it('prints the legend line for a sensitive call without readOnly', () => {
    const summary = createSummary({ sessionOf: () => null, isSensitive: (_, name) => name === 'GetObject' });
    summary.add({ eventVersion: '1.01', eventTime: '2014-03-06T21:22:54Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject', awsRegion: 'us-east-2' });
    const text = formatSummaryTable(summary.rows(), { width: 120 }).join('\n');
    expect(text).toMatch(/^kind: \?! +\S/m);
  });
});
