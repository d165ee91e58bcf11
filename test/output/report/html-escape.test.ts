import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/language/json';
import { ChainGraphBuilder } from '../../../src/output/graph/chain-graph';
import { htmlText } from '../../../src/output/report/html-escape';
import { reportHtml } from '../../../src/output/report/report-html';
import { createSummary } from '../../../src/output/summary';

describe('htmlText', () => {
  it('leaves no tag, attribute end, entity or bidi control from the data', () => {
    expect(htmlText(`<script>"x" & 'y'</script>`)).toBe('&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;');
    expect(htmlText('a\u202eb\u2066c\u200bd\n')).toBe('a\\u202eb\\u2066c\\u200bd\\n');
  });
});

describe('reportHtml', () => {
  it('escapes every event string it shows, in text and in attributes', () => {
    const attack = `"><script>alert(1)</script>'\u202e`;
    const event: JsonObject = {
      eventTime: '2024-01-01T00:00:00Z',
      eventSource: `s3.amazonaws.com${attack}`,
      eventName: `Get${attack}`,
      eventID: `id${attack}`,
      sourceIPAddress: `ip${attack}`,
      awsRegion: `r${attack}`,
      errorCode: `E${attack}`,
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/u${attack}`, accessKeyId: 'AKIAHOSTILE000000001' },
    };
    const builder = new ChainGraphBuilder();
    builder.add(event, {
      session: `iam-user:arn:aws:iam::111122223333:user/u${attack}#AKIAHOSTILE000000001` as never,
      chain: [{ session: `iam-user:arn:aws:iam::111122223333:user/u${attack}#AKIAHOSTILE000000001` as never, via: null }],
      confidence: 'high',
    });
    const summary = createSummary({ sessionOf: () => null });
    summary.add(event);
    const html = reportHtml({ graph: builder.finish(), summaryRows: summary.rows(), argv: ['*:*', '--match', attack], generatedAt: new Date(0) });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('\u202e');
    expect(html.split('&lt;script&gt;alert(1)&lt;/script&gt;').length).toBeGreaterThan(6);
  });
});
