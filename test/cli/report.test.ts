/// <reference lib="dom" />
/**
 * `--report FILE.html` through the real binary, opened in a real headless browser: it renders the graph, the timeline
 * and the summary with no console error and no request beyond the file; hostile event values stay text.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { isJsonObject, type JsonObject } from '../../src/language/json';
import { HAS_CHROMIUM, NEEDS_CHROMIUM, openInChromium } from '../support/browser';
import { runCtq } from '../support/run-ctq';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctq-report-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CHAIN = ['fixtures/identity/assume-role-chain.ndjson', 'fixtures/identity/cross-account-assume-role.ndjson', 'fixtures/identity/colliding-key.ndjson'];

describe('--report', () => {
  it('writes the page beside the chosen output, which is unchanged', async () => {
    const file = join(dir, 'plain.html');
    const withReport = await runCtq(['*:*', ...CHAIN.flatMap((f) => ['--input', f]), '--report', file]);
    const without = await runCtq(['*:*', ...CHAIN.flatMap((f) => ['--input', f])]);
    expect(withReport.code).toBe(0);
    expect(withReport.stdout).toBe(without.stdout);
    const html = readFileSync(file, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|@import|url\((?!#)|src=|href=/i);
    expect((html.match(/<g class="session"/g) ?? []).length).toBe(11);
    expect((html.match(/<circle class="event"/g) ?? []).length).toBe(21);
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  it('refuses an unwritable place before reading anything (exit 2)', async () => {
    const missing = await runCtq(['*:*', '--input', CHAIN[0]!, '--report', join(dir, 'no/such/dir/r.html')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot write in');
    expect(missing.stdout).toBe('');
    const isDir = await runCtq(['*:*', '--input', CHAIN[0]!, '--report', dir]);
    expect(isDir.code).toBe(2);
    expect(isDir.stderr).toContain('is a directory');
  });

  it(`renders in headless chromium with no console error and no request beyond the file${NEEDS_CHROMIUM}`, { skip: !HAS_CHROMIUM, timeout: 60_000 }, async () => {
    const file = join(dir, 'chain.html');
    const result = await runCtq(['*:*', ...CHAIN.flatMap((f) => ['--input', f]), '--report', file]);
    expect(result.code).toBe(0);
    const page = await openInChromium(file);
    try {
      const shot = await page.screenshot(join(dir, 'chain.png'));
      expect(shot.length).toBeGreaterThan(20_000);
      expect(page.consoleErrors).toEqual([]);
      expect(page.otherRequests).toEqual([]);
      const seen = await page.evaluate(() => {
        const box = (selector: string) => {
          const element = document.querySelector(selector);
          const rect = element?.getBoundingClientRect();
          return rect ? { width: Math.round(rect.width), height: Math.round(rect.height) } : null;
        };
        return {
          graph: box('svg.graph'),
          timeline: box('svg.timeline'),
          sessions: document.querySelectorAll('svg.graph g.session').length,
          hops: document.querySelectorAll('svg.graph g.hop').length,
          lanes: document.querySelectorAll('svg.timeline g.lane').length,
          marks: document.querySelectorAll('svg.timeline circle.event').length,
          hopLinks: document.querySelectorAll('svg.timeline g.hop-link').length,
          rows: document.querySelectorAll('table.summary tbody tr').length,
          firstTitle: document.querySelector('svg.graph g.session text tspan')?.textContent ?? null,
          scripts: document.scripts.length,
        };
      });
      expect(seen.graph!.width).toBeGreaterThan(400);
      expect(seen.timeline!.height).toBeGreaterThan(100);
      expect(seen).toMatchObject({ sessions: 11, hops: 6, lanes: 11, marks: 21, hopLinks: 6, firstTitle: 'user/alice', scripts: 0 });
      // eventSource + eventName groups of the 21 events, as jq would count them.
      const events = CHAIN.flatMap((f) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as JsonObject));
      expect(seen.rows).toBe(new Set(events.map((e) => `${String(e['eventSource'])} ${String(e['eventName'])}`)).size);
    } finally {
      await page.close();
    }
  });

  it(`keeps hostile event values as visible text: no markup, no script, no bidi reordering${NEEDS_CHROMIUM}`, { skip: !HAS_CHROMIUM, timeout: 60_000 }, async () => {
    const attack = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">"'&amp;\u202egnp.exe\u2066`;
    const hostile = {
      eventVersion: '1.08',
      eventTime: '2024-01-01T00:00:00Z',
      eventSource: 's3.amazonaws.com',
      eventName: `GetObject${attack}`,
      eventID: `id-${attack}`,
      awsRegion: `us-east-1${attack}`,
      sourceIPAddress: `203.0.113.9${attack}`,
      errorCode: `AccessDenied${attack}`,
      errorMessage: `User: arn:aws:iam::111122223333:user/x is not authorized to perform: s3:GetObject on resource: ${attack} because no identity-based policy allows the s3:GetObject action`,
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/${attack}`, accountId: '111122223333', accessKeyId: 'AKIAHOSTILE000000001' },
    };
    const input = join(dir, 'hostile.ndjson');
    writeFileSync(input, JSON.stringify(hostile) + '\n');
    const file = join(dir, 'hostile.html');
    const result = await runCtq(['*:*', '--input', input, '--report', file]);
    expect(result.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(html).toContain('onerror=&quot;window.__pwned=2&quot;&gt;&quot;&#39;&amp;amp;\\u202egnp.exe\\u2066');
    const page = await openInChromium(file);
    try {
      expect(page.consoleErrors).toEqual([]);
      expect(page.otherRequests).toEqual([]);
      const seen = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
        images: document.images.length,
        scripts: document.scripts.length,
        title: document.querySelector('svg.graph g.session title')?.textContent ?? '',
        api: document.querySelector('table.summary td.api')?.textContent ?? '',
      }));
      expect(seen).toMatchObject({ pwned: null, images: 0, scripts: 0 });
      expect(seen.title).toContain('user/<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">');
      expect(seen.api).toBe(`s3:GetObject<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">"'&amp;\\u202egnp.exe\\u2066`);
    } finally {
      await page.close();
    }
  });
});

describe('--report and --format dot from LookupEvents', () => {
  let emulator: RunningEmulator;
  const events = readFileSync('fixtures/identity/assume-role-chain.ndjson', 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown)
    .filter(isJsonObject);
  const regions = [...new Set(events.map((e) => String(e['awsRegion'])))].join(',');
  beforeAll(async () => {
    emulator = await startEmulator({ data: { kind: 'events', events }, rate: 0, log: () => {} });
  });
  afterAll(() => emulator.close());
  const env = { AWS_ACCESS_KEY_ID: 'AKIAEMULATOR', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1', AWS_PROFILE: '', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };

  it('draws the same chain as from the files', async () => {
    const args = ['*:*', '--match', 'chainOf("ASIADEPLOYSESSION001")', '--format', 'dot'];
    const api = await runCtq([...args, '--regions', regions, '--from', '2019-01-01', '--endpoint-url', emulator.url, '--report', join(dir, 'api.html')], { env });
    expect(api.stderr).not.toContain('no session in the input');
    expect(api.code).toBe(0);
    const local = await runCtq([...args, '--input', 'fixtures/identity/assume-role-chain.ndjson']);
    const shape = (dot: string) => dot.split('\n').filter((l) => / -> | \[label=/.test(l) && !l.includes('graph [')).sort();
    expect(shape(api.stdout)).toEqual(shape(local.stdout));
    expect(shape(api.stdout).filter((l) => l.includes(' -> '))).toHaveLength(2);
    const html = readFileSync(join(dir, 'api.html'), 'utf8');
    expect((html.match(/<g class="session"/g) ?? []).length).toBe(3);
  });
});
