/** `--format table` and `--summary --format table` through the real binary: streaming, widths, --columns. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLE_PAGE_ROWS } from '../../src/output/event-table';
import { displayWidth } from '../../src/output/terminal-safe';
import { CTQ, REPO, runCtq } from '../support/run-ctq';
import { syntheticEvents } from '../support/synthetic-events';

const STRATUS = '../shared/datasets/stratus-detonation-logs';

describe('--format table streams', () => {
  it('writes the first page while the input is still open, and every row by the end', async () => {
    const child = spawn(CTQ, ['*:*', '--input', '-', '--format', 'table'], {
      cwd: REPO,
      env: { ...process.env, COLUMNS: '100' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    const events = syntheticEvents({ count: TABLE_PAGE_ROWS * 3, seed: 7 }).map((e) => JSON.stringify(e) + '\n');
    const firstPage = new Promise<void>((resolve) =>
      child.stdout.on('data', (text: string) => {
        out += text;
        if (out.split('\n').length > TABLE_PAGE_ROWS) resolve();
      }),
    );
    // A live feed: a page and a half written, stdin kept open. Before, nothing came out until the input ended.
    child.stdin.write(events.slice(0, TABLE_PAGE_ROWS * 1.5).join(''));
    await firstPage;
    expect(out.split('\n')[0]).toMatch(/^eventTime +action/);
    child.stdin.end(events.slice(TABLE_PAGE_ROWS * 1.5).join(''));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + TABLE_PAGE_ROWS * 3);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(100);
  });
});

describe('--format table memory', () => {
  it('stays within a 16 MB heap over 60,000 events (it held every row before: out of memory)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctq-table-'));
    try {
      const file = join(dir, 'many.ndjson');
      const lines: string[] = [];
      for (let i = 0; i < 60_000; i++) {
        lines.push(
          JSON.stringify({
            eventVersion: '1.08',
            eventTime: '2024-01-01T00:00:00Z',
            eventSource: 's3.amazonaws.com',
            eventName: 'GetObject',
            awsRegion: 'us-east-1',
            sourceIPAddress: `203.0.113.${i % 250}`,
            eventID: `id-${i}`,
            userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::111122223333:assumed-role/Role/session-${i}` },
          }),
        );
      }
      writeFileSync(file, lines.join('\n') + '\n');
      const result = await runCtq(['*:*', '--input', file, '--format', 'table', '--workers', '1'], {
        env: { COLUMNS: '100', NODE_OPTIONS: '--max-old-space-size=16' },
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const out = result.stdout.trimEnd().split('\n');
      expect(out).toHaveLength(60_001);
      expect(out.at(-1)).toContain('role/Role/session-59999');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('--columns', () => {
  it('shows the named columns in order, and refuses an unknown one naming the choices', async () => {
    const chosen = await runCtq(['iam:*', '--input', 'fixtures/events.ndjson', '--format', 'table', '--columns', 'eventName,sourceIPAddress'], {
      env: { COLUMNS: '80' },
    });
    expect(chosen.code).toBe(0);
    expect(chosen.stdout.split('\n')[0]).toMatch(/^eventName +sourceIPAddress$/);
    const bad = await runCtq(['iam:*', '--input', 'fixtures/events.ndjson', '--format', 'table', '--columns', 'eventTime,nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--columns: no column 'nope'; choose from eventTime, action,/);
    const notTable = await runCtq(['iam:*', '--input', 'fixtures/events.ndjson', '--columns', 'eventTime']);
    expect(notTable.code).toBe(2);
  });
});

describe('--group-by session()', () => {
  it('groups the summary by session, like session() in --match', async () => {
    const result = await runCtq(['*:*', '--input', 'fixtures/identity/assume-role-chain.ndjson', '--summary', '--group-by', 'session()']);
    expect(result.code).toBe(0);
    const rows = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const sessions = rows.map((r) => r['session()']);
    expect(new Set(sessions).size).toBe(rows.length);
    expect(sessions).toContain('iam-user:arn:aws:iam::111122223333:user/alice#AKIAALICELONGTERM001');
    // The record without a key (7) joins Deploy's keyed session through the graph: one row, not two.
    expect(sessions.filter((s) => String(s).includes('assumed-role/Deploy/'))).toHaveLength(1);
    const bad = await runCtq(['*:*', '--input', 'fixtures/events.ndjson', '--summary', '--group-by', 'chainOf("AKIAALICELONGTERM001")']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a JSONPath such as $.userIdentity.arn or session()');
  });
});

describe.skipIf(!existsSync(STRATUS))('tables on the Stratus Red Team detonation logs at 80 columns', () => {
  it('keep every line within 80 columns, API names whole, and identities distinct', async () => {
    const summary = await runCtq(['*:*', '--input', STRATUS, '--summary', '--format', 'table'], { env: { COLUMNS: '80' } });
    expect(summary.code).toBe(0);
    const lines = summary.stdout.trimEnd().split('\n');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    expect(lines).toContain('    errors: Client.UnauthorizedOperation 30');
    expect(lines.some((l) => /^ec2:GetPasswordData +30 +30 +read!/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('ec2-instance-connect:SendSSHPublicKey '))).toBe(true);
    expect(summary.stderr).toMatch(/summary table: not shown for lack of width: firstSeen, lastSeen, regions/);

    const events = await runCtq(['*:*', '--input', STRATUS, '--format', 'table'], { env: { COLUMNS: '80' } });
    const rows = events.stdout.trimEnd().split('\n');
    expect(rows).toHaveLength(311);
    for (const line of rows) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    const header = rows[0]!.split(/ {2,}/);
    expect(header).toEqual(['eventTime', 'action', 'identity', 'errorCode']);
    // Column widths are shared, so the identity cells sit at the same offset: distinct identities stay distinct.
    const start = rows[0]!.indexOf('identity');
    const end = rows[0]!.indexOf('errorCode');
    const identities = new Set(rows.slice(1).map((r) => r.slice(start, end).trim()));
    expect(identities.size).toBeGreaterThan(10);
    expect(events.stderr).toContain('table: not shown for lack of width: region, sourceIPAddress');
  });
});
