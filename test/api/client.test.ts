import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { checkCredentials, createCloudTrailClient, loadSdk, resolveHomeRegion } from '../../src/sources/cloudtrail-api/client';
import { classifyApiError, NO_CREDENTIALS_MESSAGE } from '../../src/sources/cloudtrail-api/errors';
import { prepareApiSource } from '../../src/sources/cloudtrail-api/index';
import { bundledTexts, STATIC_SDK_IMPORT } from '../support/sdk-bundle';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ctq-client-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An environment with no credentials anywhere: no keys, no files, no instance metadata. */
beforeEach(() => {
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN']) {
    vi.stubEnv(name, undefined);
  }
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'no-credentials'));
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'no-config'));
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('credentials', () => {
  test('no credentials anywhere is one line naming what to do', async () => {
    const sdk = await loadSdk();
    const client = createCloudTrailClient(sdk, { region: 'us-east-1', connection: {} });
    const check = await checkCredentials(client);
    expect(check).toEqual({ ok: false, message: NO_CREDENTIALS_MESSAGE });
    expect(NO_CREDENTIALS_MESSAGE).toMatch(/^no AWS credentials found: set AWS_PROFILE .*aws sso login/);
  });

  test('a profile that yields no credentials is named in the message', async () => {
    const client = createCloudTrailClient(await loadSdk(), { region: 'us-east-1', connection: { profile: 'nosuch' } });
    expect(await checkCredentials(client, 'nosuch')).toEqual({
      ok: false,
      message: "no AWS credentials found for profile nosuch: check the profile's name in ~/.aws/config, or run `aws sso login --profile nosuch`",
    });
  });

  test('keys in the environment are found by the default chain', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAENVKEY');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    const client = createCloudTrailClient(await loadSdk(), { region: 'us-east-1', connection: {} });
    expect(await checkCredentials(client)).toEqual({ ok: true });
  });

  test('a named profile from the shared credentials file is used', async () => {
    const credentials = join(dir, 'credentials');
    await writeFile(credentials, '[audit]\naws_access_key_id = AKIAPROFILEKEY\naws_secret_access_key = secret\n');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', credentials);
    const client = createCloudTrailClient(await loadSdk(), { region: 'us-east-1', connection: { profile: 'audit' } });
    expect(await checkCredentials(client, 'audit')).toEqual({ ok: true });
    expect((await client.config.credentials()).accessKeyId).toBe('AKIAPROFILEKEY');
  });

  test('an SSO profile without a valid session says to run aws sso login for that profile', async () => {
    const config = join(dir, 'config-sso');
    await writeFile(
      config,
      '[profile sso-dev]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = Audit\nregion = eu-west-1\n',
    );
    vi.stubEnv('AWS_CONFIG_FILE', config);
    vi.stubEnv('HOME', dir);
    const client = createCloudTrailClient(await loadSdk(), { region: 'us-east-1', connection: { profile: 'sso-dev' } });
    const check = await checkCredentials(client, 'sso-dev');
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.message).toContain('aws sso login --profile sso-dev');
      expect(check.message).not.toContain('\n');
    }
  });

  test('expired and refused tokens are told apart from other failures', () => {
    expect(classifyApiError(Object.assign(new Error('expired'), { name: 'ExpiredTokenException' })).kind).toBe('credentials');
    expect(classifyApiError(Object.assign(new Error('invalid'), { name: 'UnrecognizedClientException' })).kind).toBe('region-refused');
    expect(classifyApiError(Object.assign(new Error('invalid'), { name: 'InvalidClientTokenId' })).kind).toBe('region-refused');
    const denied = classifyApiError(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));
    expect(denied).toEqual({ kind: 'failed', message: 'not allowed to call cloudtrail:LookupEvents (User is not authorized)' });
  });
});

describe('home region', () => {
  test('an explicit region wins', async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    expect(await resolveHomeRegion(await loadSdk(), { region: 'ap-south-1' })).toEqual({ ok: true, region: 'ap-south-1' });
  });

  test('AWS_REGION, then the profile region, then AWS_DEFAULT_REGION', async () => {
    const sdk = await loadSdk();
    const config = join(dir, 'config-region');
    await writeFile(config, '[profile audit]\nregion = eu-central-1\n');
    vi.stubEnv('AWS_CONFIG_FILE', config);
    expect(await resolveHomeRegion(sdk, { profile: 'audit' })).toEqual({ ok: true, region: 'eu-central-1' });
    vi.stubEnv('AWS_REGION', 'us-west-2');
    expect(await resolveHomeRegion(sdk, { profile: 'audit' })).toEqual({ ok: true, region: 'us-west-2' });
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_DEFAULT_REGION', 'sa-east-1');
    expect(await resolveHomeRegion(sdk, {})).toEqual({ ok: true, region: 'sa-east-1' });
  });

  test('no region anywhere is one line naming what to do', async () => {
    const result = await resolveHomeRegion(await loadSdk(), {});
    expect(result).toEqual({ ok: false, message: 'no AWS region: pass --region, set AWS_REGION, or set `region` in your AWS profile' });
  });
});

describe('cold start', () => {
  test('the API source modules import the SDK only dynamically', async () => {
    const [source, plan, explain] = await bundledTexts(['src/sources/cloudtrail-api/index.ts', 'src/query/plan.ts', 'src/query/explain.ts']);
    expect(source).toContain('import("@aws-sdk/client-cloudtrail")');
    for (const text of [source, plan, explain]) {
      expect(text).toBeDefined();
      expect(text).not.toMatch(STATIC_SDK_IMPORT);
    }
  });
});

describe('preparing the API source', () => {
  test('no credentials: the one-line message, before any call', async () => {
    vi.stubEnv('AWS_REGION', 'us-east-1');
    expect(await prepareApiSource({ connection: {} })).toEqual({ ok: false, message: NO_CREDENTIALS_MESSAGE });
  });

  test('the home region by default, every partition region for all, the named ones otherwise', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAENVKEY');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    const home = await prepareApiSource({ connection: {} });
    expect(home.ok && home.regions).toEqual(['eu-west-1']);
    const all = await prepareApiSource({ connection: {}, regions: 'all' });
    expect(all.ok && all.regions).toContain('ap-northeast-1');
    expect(all.ok && all.regions.length).toBeGreaterThan(20);
    vi.stubEnv('AWS_REGION', undefined);
    const named = await prepareApiSource({ connection: {}, regions: ['us-west-2', 'us-east-1', 'us-west-2'] });
    expect(named).toMatchObject({ ok: true, home: 'us-west-2', regions: ['us-west-2', 'us-east-1'] });
  });
});
