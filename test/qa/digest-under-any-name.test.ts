/**
 * A digest file holds no events (CloudTrail User Guide, "CloudTrail digest file structure":
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html).
 * Under its own name or folder it is skipped by name; copied under another name it must still not come out
 * as an event. It used to: a digest is one JSON object on one line, which the fast path took for a record.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCtq } from '../support/run-ctq';
import { scratchDir } from '../support/scratch';

/** The members the user guide's example has; the hashes and signature are made up. */
const DIGEST = {
  awsAccountId: '111122223333',
  digestStartTime: '2015-08-17T14:01:31Z',
  digestEndTime: '2015-08-17T15:01:31Z',
  digestS3Bucket: 'S3-bucket-name',
  digestS3Object: 'AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz',
  digestPublicKeyFingerprint: '31e8b5433410dfb61a9dc45cc65b22ff',
  digestSignatureAlgorithm: 'SHA256withRSA',
  newestEventTime: '2015-08-17T14:52:27Z',
  oldestEventTime: '2015-08-17T14:42:27Z',
  previousDigestS3Bucket: 'S3-bucket-name',
  previousDigestS3Object: 'AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T140131Z.json.gz',
  previousDigestHashValue: '97fb791cf91ffc440d274f8190dbdd9aa09c34432aba82739df18b6d3c13df2d',
  previousDigestHashAlgorithm: 'SHA-256',
  previousDigestSignature: '50887ccffad4c002b97caa37cb7bd8a8e68c3d1a9a7bb2f0dc1d4d7b3d43c8b8',
  logFiles: [{ s3Bucket: 'S3-bucket-name', s3Object: 'AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/17/111122223333_CloudTrail_us-east-2_20150817T1445Z_9nYN7gp2eWAJHIfT.json.gz', hashValue: '9bb6196fc6b84d6f075a56548feca262bd99ba3c2de41b618e5b6e22c1fc71f6', hashAlgorithm: 'SHA-256', newestEventTime: '2015-08-17T14:52:27Z', oldestEventTime: '2015-08-17T14:42:27Z' }],
};

describe('a digest file under another name', () => {
  it.each([
    ['one line, gzipped', 'copy.json.gz', gzipSync(JSON.stringify(DIGEST))],
    ['one line', 'copy.json', Buffer.from(JSON.stringify(DIGEST) + '\n')],
    ['pretty-printed', 'copy.json', Buffer.from(JSON.stringify(DIGEST, null, 2) + '\n')],
  ])('%s: no event, nothing bad', async (_, name, bytes) => {
    const file = join(scratchDir('ctq-qa-digest-'), name);
    writeFileSync(file, bytes);
    const r = await runCtq(['*:*', '--input', file, '--stats']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr.trim().split('\n').at(-1)!)).toMatchObject({ eventsScanned: 0, matched: 0, badRecords: 0 });
  });
});
