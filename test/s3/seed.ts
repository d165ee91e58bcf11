/**
 * A trail bucket's contents, built on disk (so the same files can be read locally and from S3):
 * - `AWSLogs/111122223333/…`: the bundled fixture archive as it is (two regions, two days, a digest);
 * - `AWSLogs/444455556666/CloudTrail/<3 regions>/2026/11/15…21/`: synthetic events, four files a day,
 *   the last of each day published after midnight into the next day's folder, as CloudTrail does
 *   (the date folder is the day a file is published, cloudtrail-find-log-files.md);
 * - `AWSLogs/o-exampleorgid/<account>/CloudTrail/<region>/…`: an organisation trail's layout, holding
 *   the real Stratus Red Team detonation records (when the dataset is present), one account each;
 * - noise that must never be fetched: an Insights folder, a digest folder, a non-trail prefix;
 * - `damaged/`: the damaged inputs of fixtures/bad, outside the layout.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { REPO } from '../support/run-ctq';
import { syntheticEvents } from '../support/synthetic-events';

export const STRATUS = join(REPO, '..', 'shared', 'datasets', 'stratus-detonation-logs');
export const ORG = 'o-exampleorgid';
export const SYNTHETIC_ACCOUNT = '444455556666';
export const SYNTHETIC_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2'] as const;
/** Days of synthetic events: 2026-11-15 … 2026-11-21. */
export const SYNTHETIC_DAYS = 7;
const FIRST_DAY = Date.parse('2026-11-15T00:00:00Z');
const HOUR = 3_600_000;

export function trailFileName(account: string, region: string, publishedMs: number, unique: string): string {
  const stamp = new Date(publishedMs).toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
  return `${account}_CloudTrail_${region}_${stamp}_${unique}.json.gz`;
}

export function dayPath(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
}

export function writeTrailFile(root: string, key: string, records: readonly unknown[]): void {
  const path = join(root, ...key.split('/'));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, gzipSync(JSON.stringify({ Records: records })));
}

/** The key a trail file holding `records` gets: its region folder, and the day it is published (5 minutes after the last event). */
export function trailKey(prefix: string, account: string, region: string, lastEventMs: number, unique: string): string {
  const published = lastEventMs + 5 * 60_000;
  return `${prefix}${account}/CloudTrail/${region}/${dayPath(published)}/${trailFileName(account, region, published, unique)}`;
}

export function buildSeedTree(root: string, options: { days?: number; regions?: readonly string[]; eventsPerFile?: number } = {}): void {
  cpSync(join(REPO, 'fixtures', 'AWSLogs'), join(root, 'AWSLogs'), { recursive: true });
  const days = options.days ?? SYNTHETIC_DAYS;
  const regions = options.regions ?? SYNTHETIC_REGIONS;
  const perFile = options.eventsPerFile ?? 10;
  let seed = 1;
  for (const region of regions) {
    for (let day = 0; day < days; day++) {
      // Files cover 6-hour spans; the last ends at 23:59, so it is published in the next day's folder.
      for (let part = 0; part < 4; part++) {
        const start = FIRST_DAY + day * 24 * HOUR + part * 6 * HOUR;
        const end = start + 6 * HOUR - 60_000;
        const events = syntheticEvents({ count: perFile, seed: seed++, regions: [region], accounts: [SYNTHETIC_ACCOUNT], start: new Date(start), end: new Date(end) });
        const last = Date.parse(String(events[events.length - 1]!.eventTime));
        writeTrailFile(root, trailKey('AWSLogs/', SYNTHETIC_ACCOUNT, region, Math.max(last, end - 60_000), `s${day}p${part}`), events);
      }
    }
  }
  if (existsSync(STRATUS)) {
    for (const name of readdirSync(STRATUS).filter((n) => n.endsWith('.json')).sort()) {
      const records = JSON.parse(readFileSync(join(STRATUS, name), 'utf8')) as { eventTime: string; awsRegion: string; recipientAccountId: string }[];
      const first = records[0]!;
      const last = Math.max(...records.map((r) => Date.parse(r.eventTime)));
      writeTrailFile(root, trailKey(`AWSLogs/${ORG}/`, first.recipientAccountId, first.awsRegion, last, name.replace(/\.json$/, '').replace(/[^a-z0-9]/gi, '')), records);
    }
  }
  // Never to be fetched: Insights events, a digest folder of the synthetic account, another service's logs.
  writeTrailFile(root, `AWSLogs/${SYNTHETIC_ACCOUNT}/CloudTrail-Insight/us-east-1/2026/11/20/${SYNTHETIC_ACCOUNT}_CloudTrail-Insight_us-east-1_20261120T1200Z_x.json.gz`, []);
  writeTrailFile(root, `AWSLogs/${SYNTHETIC_ACCOUNT}/CloudTrail-Digest/us-east-1/2026/11/20/${SYNTHETIC_ACCOUNT}_CloudTrail-Digest_us-east-1_x_us-east-1_20261120T120000Z.json.gz`, []);
  mkdirSync(join(root, 'exports'), { recursive: true });
  writeFileSync(join(root, 'exports', 'notes.txt'), 'not a trail file\n');
  // Damaged inputs outside the layout: read only when named.
  cpSync(join(REPO, 'fixtures', 'bad'), join(root, 'damaged'), { recursive: true });
}
